package cli

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/remote/aria2"
	"github.com/haul-dl/haul/remote/boxes"
)

// `haul get --remote NAME`: the links go to a remote downloader (an aria2
// box set up in the window's Settings) instead of this computer's engine;
// with --wait the command follows them on the box until each has ended.

// remoteOnlyLocal are flags that mean nothing for a box.
var remoteOnlyLocal = []string{"checksum", "ca-cert", "quality", "j", "limit-rate", "allow-https-downgrade", "base"}

// runRemote sends the links to the box cfg.Remote and, with --wait,
// reports each as it ends.
func runRemote(ctx context.Context, cfg config, given []links.Link, e env) int {
	for _, f := range remoteOnlyLocal {
		if cfg.seen[f] {
			return usageFail(e, usagef("--%s applies to downloads on this computer, not with --remote", strings.TrimLeft(f, "-")))
		}
	}
	if cfg.Input != "" {
		in, err := openInput(cfg.Input, e.stdin)
		if err != nil {
			return usageFail(e, err)
		}
		var lines []string
		sum, err := links.Scan(ctx, in.r, links.Options{}, func(l links.Link) error {
			given = append(given, l)
			return nil
		})
		in.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "haul get: reading %s: %s\n", safename.Display(in.name), safename.Display(err.Error()))
			return ExitFailed
		}
		for _, r := range sum.Rejected {
			lines = append(lines, fmt.Sprintf("%s:%d: %s", in.name, r.Line, r.Reason))
		}
		for _, l := range lines {
			fmt.Fprintln(e.stderr, safename.Display(l))
		}
		if len(lines) > 0 {
			return ExitFailed
		}
	}
	if len(given) == 0 {
		return usageFail(e, usagef("nothing to download"))
	}
	state := cfg.State
	if state == "" {
		var err error
		if state, err = e.state(); err != nil {
			return usageFail(e, usagef("%v; pass --state DIR", err))
		}
	}
	secrets := e.secrets
	if secrets == nil {
		secrets = boxes.Detect
	}
	store := boxes.Open(state, secrets(state))
	box, err := store.Get(cfg.Remote)
	var nf *boxes.NotFoundError
	if errors.As(err, &nf) {
		return usageFail(e, err)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "haul get: %s\n", safename.Display(err.Error()))
		return ExitFailed
	}
	bcfg, err := store.Config(box)
	if err != nil {
		fmt.Fprintf(e.stderr, "haul get: %s\n", safename.Display(err.Error()))
		return ExitFailed
	}
	if bcfg.ClearText() {
		fmt.Fprintf(e.stderr, "haul get: warning: %s is plain ws:// over a public network: the secret travels in clear\n", safename.Display(box.Name))
	}
	c, err := aria2.Dial(ctx, bcfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "haul get: %s: %s\n", safename.Display(box.Name), safename.Display(err.Error()))
		return ExitFailed
	}
	defer c.Close()

	mode := modePlain
	if cfg.JSON {
		mode = modeJSON
	}
	v := newView(e.stdout, e.stderr, mode, e.color && e.outTTY, e.errTTY, e.size)
	sent := map[string]links.Link{}
	var order []string
	failed := 0
	for _, l := range given {
		gid, err := c.AddURI(ctx, []string{l.URL}, aria2.AddOptions{Dir: cfg.Dir, Out: l.Name, Split: cfg.splitIfSet()})
		if err != nil {
			if ctx.Err() != nil {
				return ExitInterrupted
			}
			failed++
			v.finished(result{URL: links.Redact(l.URL), Err: "the box refused it: " + err.Error()})
			continue
		}
		sent[gid] = l
		order = append(order, gid)
		if !cfg.Wait {
			v.message(fmt.Sprintf("sent  %s  to %s", safename.Display(links.Redact(l.URL)), safename.Display(box.Name)))
		}
	}
	if cfg.Wait && len(order) > 0 {
		c.Close()
		failed += followRemote(ctx, bcfg, box.Name, sent, order, v)
		if ctx.Err() != nil {
			fmt.Fprintln(e.stderr, "interrupted: the downloads go on on the box")
			return ExitInterrupted
		}
	}
	if failed > 0 {
		return ExitFailed
	}
	return ExitOK
}

// splitIfSet is -x when it was given, else 0 (the box's default).
func (c config) splitIfSet() int {
	if c.seen["x"] {
		return c.Conns
	}
	return 0
}

// followRemote watches the box until every sent download has ended (a
// lost connection is retried with backoff) and returns how many failed.
func followRemote(ctx context.Context, bcfg aria2.Config, boxName string, sent map[string]links.Link, order []string, v *view) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := aria2.NewWatcher(bcfg, aria2.WatchOptions{})
	snaps, unsubscribe := w.Subscribe()
	defer unsubscribe()
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	left := map[string]bool{}
	for _, g := range order {
		left[g] = true
	}
	failed := 0
	unreachable := false
	for len(left) > 0 {
		var s aria2.Snapshot
		select {
		case <-ctx.Done():
			return failed
		case s = <-snaps:
		}
		if !s.Connected {
			if !unreachable && s.Err != nil {
				v.message(fmt.Sprintf("haul get: %s cannot be reached (%s); trying again", safename.Display(boxName), safename.Display(s.Err.Error())))
			}
			unreachable = true
			continue
		}
		unreachable = false
		for _, g := range order {
			if !left[g] {
				continue
			}
			st, ok := s.Find(g)
			if !ok {
				delete(left, g)
				failed++
				v.finished(result{ID: g, URL: links.Redact(sent[g].URL), Err: "the box no longer lists it"})
				continue
			}
			if r, end := remoteResult(st, sent[g]); end {
				delete(left, g)
				if !r.OK {
					failed++
				}
				v.finished(r)
			}
		}
	}
	return failed
}

// remoteResult is the report of a download that ended on the box; end is
// false while it goes on (active, waiting or paused).
func remoteResult(st aria2.Status, l links.Link) (result, bool) {
	r := result{ID: st.GID, URL: links.Redact(l.URL), Bytes: int64(st.Completed)}
	if len(st.Files) > 0 {
		r.Path = st.Files[0].Path
		r.Name = filepath.Base(st.Files[0].Path)
	}
	if r.Name == "" || r.Name == "." {
		r.Name = path.Base(strings.SplitN(l.URL, "?", 2)[0])
	}
	switch st.State {
	case aria2.StateComplete:
		r.OK = true
		return r, true
	case aria2.StateError:
		r.Err = st.ErrorMessage
		if r.Err == "" {
			r.Err = "aria2 error " + st.ErrorCode
		}
		return r, true
	case aria2.StateRemoved:
		r.Err = "removed on the box after " + human.Bytes(int64(st.Completed))
		return r, true
	}
	return r, false
}
