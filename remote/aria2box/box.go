// Package aria2box presents a remote aria2 as a place that downloads, in
// the engine's terms: its downloads as engine.Snapshots (a GID is the ID),
// batches of changes to subscribe to, and the engine's actions (add,
// pause, resume, retry, cancel, remove, move, limits) done with aria2's
// JSON-RPC. What aria2 cannot do returns ErrUnsupported. It has no window
// code: the GUI wraps it.
package aria2box

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/remote/aria2"
)

// ErrUnsupported is returned for what a remote aria2 cannot do.
var ErrUnsupported = errors.New("a remote aria2 cannot do this")

// CallTimeout bounds one call to the box.
const CallTimeout = 20 * time.Second

// Box is one remote aria2, kept connected until Close.
type Box struct {
	name   string
	w      *aria2.Watcher
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

// Open starts watching the box (connecting, and reconnecting with backoff).
func Open(name string, cfg aria2.Config, opt aria2.WatchOptions) *Box {
	ctx, cancel := context.WithCancel(context.Background())
	b := &Box{name: name, w: aria2.NewWatcher(cfg, opt), ctx: ctx, cancel: cancel, done: make(chan struct{})}
	go func() { b.w.Run(ctx); close(b.done) }()
	return b
}

// Name is the box's name as the user gave it.
func (b *Box) Name() string { return b.name }

// Close stops watching the box and waits for it.
func (b *Box) Close() {
	b.cancel()
	<-b.done
}

// Conn is whether the box is reached, and if not why.
type Conn struct {
	Connected bool
	Err       error
	Retry     time.Duration // the wait before the next try
	Version   string
	Global    aria2.GlobalStat
}

// Conn returns the box's connection as last seen.
func (b *Box) Conn() Conn { return connOf(b.w.Last()) }

func connOf(s aria2.Snapshot) Conn {
	return Conn{Connected: s.Connected, Err: s.Err, Retry: s.Retry, Version: s.Version, Global: s.Global}
}

// List returns every download on the box as last seen.
func (b *Box) List() []engine.Snapshot { return snapshots(b.w.Last()) }

// Get returns one download as last seen.
func (b *Box) Get(id string) (engine.Snapshot, bool) {
	st, ok := b.w.Last().Find(id)
	if !ok {
		return engine.Snapshot{}, false
	}
	return snapshot(st, 0), true
}

// Notice is always empty: a box has no list of its own to restore.
func (b *Box) Notice() string { return "" }

// do runs one call on the connected box, bounded by CallTimeout.
func (b *Box) do(fn func(ctx context.Context, c *aria2.Client) error) error {
	ctx, cancel := context.WithTimeout(b.ctx, CallTimeout)
	defer cancel()
	err := b.w.Do(ctx, fn)
	if errors.Is(err, aria2.ErrNotConnected) {
		return fmt.Errorf("%s cannot be reached: %w", b.name, err)
	}
	return err
}

// AddAll adds each request as one download on the box, in its default
// folder (a folder of this computer means nothing there), with the file
// name, headers (Referer, cookies), connections and paused state asked.
func (b *Box) AddAll(reqs []engine.Request) []engine.Added {
	out := make([]engine.Added, len(reqs))
	known := map[string]string{}
	for _, st := range b.w.Last().All() {
		if u := firstURI(st); u != "" {
			known[u] = st.GID
		}
	}
	err := b.do(func(ctx context.Context, c *aria2.Client) error {
		for i, r := range reqs {
			if gid, ok := known[r.URL]; ok {
				out[i] = engine.Added{ID: gid, Existing: true}
				continue
			}
			gid, err := c.AddURI(ctx, []string{r.URL}, aria2.AddOptions{
				Out: r.Name, Header: headerLines(r.Header), Paused: r.Paused, Split: r.Connections,
			})
			out[i] = engine.Added{ID: gid, Err: err}
		}
		return nil
	})
	if err != nil {
		for i := range out {
			if out[i].ID == "" && out[i].Err == nil {
				out[i].Err = err
			}
		}
	}
	return out
}

// headerLines turns headers into aria2's "Name: value" lines.
func headerLines(h engine.Header) []string {
	var lines []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range h[k] {
			lines = append(lines, k+": "+v)
		}
	}
	return lines
}

// Pause pauses a download.
func (b *Box) Pause(id string) error {
	return b.do(func(ctx context.Context, c *aria2.Client) error { return c.Pause(ctx, id) })
}

// Resume resumes a paused download.
func (b *Box) Resume(id string) error {
	return b.do(func(ctx context.Context, c *aria2.Client) error { return c.Unpause(ctx, id) })
}

// Retry adds a failed or removed download again, with the same link,
// folder and name, and forgets the old result.
func (b *Box) Retry(id string) error {
	st, ok := b.w.Last().Find(id)
	if !ok {
		return fmt.Errorf("retry: %s is no longer on %s", id, b.name)
	}
	if st.State != aria2.StateError && st.State != aria2.StateRemoved {
		return fmt.Errorf("retry: only a failed or cancelled download can be retried (this one is %s)", st.State)
	}
	uri := firstURI(st)
	if uri == "" {
		return fmt.Errorf("retry: the box does not say the link of %s", id)
	}
	o := aria2.AddOptions{Dir: st.Dir}
	if len(st.Files) > 0 && st.Files[0].Path != "" {
		o.Out = baseName(st.Files[0].Path)
	}
	return b.do(func(ctx context.Context, c *aria2.Client) error {
		if _, err := c.AddURI(ctx, []string{uri}, o); err != nil {
			return err
		}
		return c.RemoveResult(ctx, id)
	})
}

// Cancel stops a download; it stays in the list as cancelled. (aria2
// keeps the partial file on the box.)
func (b *Box) Cancel(id string) error {
	return b.do(func(ctx context.Context, c *aria2.Client) error { return c.Remove(ctx, id) })
}

// Remove takes a download off the list, stopping it first if it runs.
func (b *Box) Remove(id string) error {
	st, ok := b.w.Last().Find(id)
	if ok && !stopped(st.State) {
		snaps, unsubscribe := b.w.Subscribe()
		defer unsubscribe()
		if err := b.do(func(ctx context.Context, c *aria2.Client) error { return c.Remove(ctx, id) }); err != nil {
			return err
		}
		if err := b.waitStopped(snaps, id); err != nil {
			return err
		}
	}
	return b.do(func(ctx context.Context, c *aria2.Client) error { return c.RemoveResult(ctx, id) })
}

func stopped(state string) bool {
	return state == aria2.StateRemoved || state == aria2.StateComplete || state == aria2.StateError
}

// waitStopped waits for the box's list to show the download stopped: aria2
// removes a running download only once its connections are closed, and
// its result cannot be forgotten before. Each poll of the box is an event
// here (at least one a second).
func (b *Box) waitStopped(snaps <-chan aria2.Snapshot, id string) error {
	ctx, cancel := context.WithTimeout(b.ctx, CallTimeout)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("remove: %s did not stop on %s: %w", id, b.name, ctx.Err())
		case s := <-snaps:
			if st, ok := s.Find(id); s.Connected && (!ok || stopped(st.State)) {
				return nil
			}
		}
	}
}

// StartNow is not possible: aria2 never runs more than its own limit.
func (b *Box) StartNow(string) error { return ErrUnsupported }

// SetURL is not offered for a box.
func (b *Box) SetURL(string, string) error { return ErrUnsupported }

// Move moves a waiting download in the box's queue.
func (b *Box) Move(id string, to engine.Position) error {
	pos, how := 0, aria2.FromStart
	switch to {
	case engine.MoveTop:
	case engine.MoveUp:
		pos, how = -1, aria2.FromCurrent
	case engine.MoveDown:
		pos, how = 1, aria2.FromCurrent
	case engine.MoveBottom:
		how = aria2.FromEnd
	default:
		return fmt.Errorf("move: unknown position %d", to)
	}
	return b.do(func(ctx context.Context, c *aria2.Client) error {
		_, err := c.ChangePosition(ctx, id, pos, how)
		return err
	})
}

// DownloadLimits returns a download's own speed limit (0: none) and its
// connections.
func (b *Box) DownloadLimits(id string) (bytesPerSec int64, conns int, err error) {
	err = b.do(func(ctx context.Context, c *aria2.Client) error {
		o, err := c.Option(ctx, id)
		if err != nil {
			return err
		}
		bytesPerSec, _ = strconv.ParseInt(o["max-download-limit"], 10, 64)
		conns, _ = strconv.Atoi(o["split"])
		return nil
	})
	return bytesPerSec, conns, err
}

// SetDownloadLimit sets a download's own speed limit (0: none).
func (b *Box) SetDownloadLimit(id string, bytesPerSec int64) error {
	return b.changeOption(id, "max-download-limit", strconv.FormatInt(max(bytesPerSec, 0), 10))
}

// SetDownloadConnections sets a download's connections (aria2's split).
func (b *Box) SetDownloadConnections(id string, n int) error {
	return b.changeOption(id, "split", strconv.Itoa(max(n, 1)))
}

func (b *Box) changeOption(id, key, value string) error {
	return b.do(func(ctx context.Context, c *aria2.Client) error {
		return c.ChangeOption(ctx, id, map[string]string{key: value})
	})
}

// SetRateLimit sets the box's total speed limit (0: none).
func (b *Box) SetRateLimit(bytesPerSec int64) error {
	return b.globalOption("max-overall-download-limit", strconv.FormatInt(max(bytesPerSec, 0), 10))
}

// SetMaxActive sets how many downloads the box runs at once.
func (b *Box) SetMaxActive(n int) error {
	return b.globalOption("max-concurrent-downloads", strconv.Itoa(max(n, 1)))
}

func (b *Box) globalOption(key, value string) error {
	return b.do(func(ctx context.Context, c *aria2.Client) error {
		return c.ChangeGlobalOption(ctx, map[string]string{key: value})
	})
}

func firstURI(st aria2.Status) string {
	for _, f := range st.Files {
		for _, u := range f.URIs {
			if u.URI != "" {
				return u.URI
			}
		}
	}
	return ""
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
