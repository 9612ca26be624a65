// Package cli implements `haul get`: downloading from the command line
// with the same engine as the window, reporting progress on a terminal,
// plain lines in a pipe, or JSON lines for scripts.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/haul-dl/haul/appdirs"
	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/remote/boxes"
)

// Exit statuses of Run.
const (
	ExitOK          = 0   // every download completed
	ExitFailed      = 1   // a download failed or an input line was rejected
	ExitUsage       = 2   // the command was wrong, or the state folder is in use
	ExitInterrupted = 130 // ctx was cancelled (Ctrl-C)
)

// env is what Run gets from the process, so tests can stand in for it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	outTTY, errTTY bool
	color          bool
	size           func() (w, h int) // terminal size of stdout
	downloads      func() (string, error)
	state          func() (string, error)
	secrets        func(dir string) boxes.Secrets // nil: boxes.Detect
}

// Run runs `haul get` with args (the words after "get") and returns the
// exit status: 0 when every download completed, 1 when any failed or an
// input line was rejected, 2 on a usage error or a state folder in use,
// 130 when ctx was cancelled (progress is saved: the same command resumes).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{
		stdin: stdin, stdout: stdout, stderr: stderr,
		outTTY:    isTerminal(stdout),
		errTTY:    isTerminal(stderr),
		color:     os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb",
		size:      func() (int, int) { return termSize(stdout) },
		downloads: appdirs.Downloads,
		state:     appdirs.State,
	}
	return run(ctx, args, e)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// termSize returns the size of the terminal w, or 80x24 when unknown.
func termSize(w io.Writer) (int, int) {
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		if cols, rows, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 && rows > 0 {
			return cols, rows
		}
	}
	return 80, 24
}

// usageHint follows every usage error.
const usageHint = "Run 'haul get --help' for usage."

func run(ctx context.Context, args []string, e env) int {
	cfg, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(e.stdout, helpText)
		return ExitOK
	}
	if err != nil {
		return usageFail(e, err)
	}
	given, err := argumentLinks(cfg.URLs)
	if err != nil {
		return usageFail(e, err)
	}
	if len(given) == 0 && cfg.Input == "" {
		return usageFail(e, usagef("nothing to download: give one or more URLs, or -i FILE"))
	}
	if cfg.Remote != "" {
		return runRemote(ctx, cfg, given, e)
	}
	if cfg.Checksum != "" {
		if len(given) != 1 || cfg.Input != "" {
			return usageFail(e, usagef("--checksum needs exactly one URL (for a list, put sha256= lines in the -i file)"))
		}
		if _, _, err := engine.ParseChecksum(cfg.Checksum); err != nil {
			return usageFail(e, usagef("--checksum: %v", err))
		}
		given[0].Checksum = cfg.Checksum
	}
	if cfg.CACert != "" {
		if _, err := os.Stat(cfg.CACert); err != nil {
			return usageFail(e, usagef("--ca-cert: %v", err))
		}
	}
	if cfg.Dir == "" {
		if cfg.Dir, err = e.downloads(); err != nil {
			return usageFail(e, usagef("%v; pass -d DIR", err))
		}
	}
	if cfg.State == "" {
		if cfg.State, err = e.state(); err != nil {
			return usageFail(e, usagef("%v; pass --state DIR", err))
		}
	}

	var in *input
	if cfg.Input != "" {
		if in, err = openInput(cfg.Input, e.stdin); err != nil {
			return usageFail(e, err)
		}
		defer in.Close()
	}

	// The engine gets a context of its own: Close, not cancellation, is
	// what stops it with every download's progress saved.
	m, err := engine.Open(context.WithoutCancel(ctx), engine.Options{
		StateDir:       cfg.State,
		DefaultDir:     cfg.Dir,
		MaxActive:      cfg.Jobs,
		Connections:    cfg.Conns,
		RateLimit:      cfg.Rate,
		CACertFile:     cfg.CACert,
		AllowDowngrade: cfg.AllowDowngrade,
		HoldRestored:   true,
	})
	if errors.Is(err, engine.ErrLocked) {
		fmt.Fprintf(e.stderr, "haul get: the download list in %s is in use by another Haul (the window?); close it or pass --state\n",
			safename.Display(cfg.State))
		return ExitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "haul get: %s\n", safename.Display(err.Error()))
		return ExitFailed
	}
	defer m.Close()
	if n := m.Notice(); n != "" {
		fmt.Fprintf(e.stderr, "haul get: %s\n", safename.Display(n))
	}

	mode := modePlain
	switch {
	case cfg.JSON:
		mode = modeJSON
	case e.outTTY:
		mode = modeLive
	}
	s := newSession(m, cfg, in, given, newView(e.stdout, e.stderr, mode, e.color, e.errTTY, e.size))
	return s.run(ctx)
}

// usageFail reports a usage error and returns its exit status.
func usageFail(e env, err error) int {
	fmt.Fprintf(e.stderr, "haul get: %s\n%s\n", safename.Display(err.Error()), usageHint)
	return ExitUsage
}

// argumentLinks reads the URLs given as arguments: patterns expand and
// duplicates are dropped. Anything that is not a link is a usage error.
func argumentLinks(args []string) ([]links.Link, error) {
	var out []links.Link
	seen := map[string]bool{}
	for _, a := range args {
		if err := rawSpace(a); err != nil {
			return nil, err
		}
		ls, sum := links.Parse(a)
		if sum.RejectedCount > 0 || len(ls) == 0 {
			reason := "not a link: it needs http:// or https://"
			if len(sum.Rejected) > 0 {
				reason = sum.Rejected[0].Reason
			}
			if fi, err := os.Stat(a); err == nil && fi.Mode().IsRegular() {
				reason += " (to read links from this file, use -i " + a + ")"
			}
			return nil, usagef("%s: %s", fitWidth(safename.Display(links.Redact(a)), 120), reason)
		}
		for _, l := range ls {
			l.Line = 0 // not from a file
			if !seen[l.URL] {
				seen[l.URL] = true
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// rawSpace refuses an argument whose URL holds a raw space, such as
// "http://host/d 4.txt": read as text it would be the link http://host/d
// followed by a word, and fetching that would fetch something else.
// Several URLs in one argument, separated by spaces, are fine.
func rawSpace(a string) error {
	words := strings.Fields(a)
	if len(words) < 2 || !isLinkWord(words[0]) {
		return nil
	}
	for _, w := range words[1:] {
		if !isLinkWord(w) {
			return usagef("%s: a URL cannot hold a raw space; write the space as %%20 (%s), or give each URL as an argument of its own",
				fitWidth(safename.Display(links.Redact(a)), 120), fitWidth(safename.Display(links.Redact(strings.Join(words, "%20"))), 120))
		}
	}
	return nil
}

// isLinkWord reports whether w starts with http:// or https://.
func isLinkWord(w string) bool {
	w = strings.ToLower(w)
	return strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://")
}

// input is the -i source of links.
type input struct {
	name string // for messages: the file name, or "stdin"
	r    io.Reader
	size int64 // bytes, or -1 when unknown (a pipe)
	f    *os.File
}

func openInput(name string, stdin io.Reader) (*input, error) {
	if name == "-" {
		return &input{name: "stdin", r: stdin, size: -1}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, usagef("-i: %v", err)
	}
	in := &input{name: name, r: f, size: -1, f: f}
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			f.Close()
			return nil, usagef("-i %s: this is a folder, not a file of links", name)
		}
		if fi.Mode().IsRegular() {
			in.size = fi.Size()
		}
	}
	return in, nil
}

// Close closes the file if there is one; it also interrupts a read that blocks.
func (in *input) Close() {
	if in.f != nil {
		in.f.Close()
	}
}
