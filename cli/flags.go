package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/internal/human"
)

// config is what the command line asked for. Empty Dir and State mean the
// user's defaults, filled in by Run.
type config struct {
	Dir            string
	Input          string // -i: a file name, "-" for standard input
	State          string
	Jobs           int
	Conns          int
	JSON           bool
	Rate           int64 // bytes per second; 0 = unlimited
	Checksum       string
	CACert         string
	AllowDowngrade bool
	Base           *url.URL // --base: the address of an -i page, for its relative links
	Quality        string   // --quality: the HLS variant, "best", "worst" or a height
	URLs           []string // the arguments that are not flags, in order
	Remote         string   // --remote: the name of a box to send the links to
	Wait           bool     // --wait: with --remote, follow the downloads to the end
	seen           map[string]bool
}

// usageError is a mistake in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// rateValue is a flag.Value for --limit-rate.
type rateValue struct{ n *int64 }

func (r rateValue) String() string {
	if r.n == nil {
		return ""
	}
	return strconv.FormatInt(*r.n, 10)
}

func (r rateValue) Set(s string) error {
	n, err := parseRate(s)
	if err != nil {
		return err
	}
	*r.n = n
	return nil
}

// parseRate reads a speed in bytes per second: "100000", "500K", "1.5M",
// "2G" (K=1024; a trailing "B", "iB" or "/s" is allowed; case does not
// matter). "0" means no limit.
func parseRate(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "/s")
	// A fraction below one byte would round to 0, which means no limit.
	if v, err := strconv.ParseFloat(strings.TrimSpace(t), 64); err == nil && v > 0 && v < 1 {
		return 0, fmt.Errorf("%q is below one byte per second", s)
	}
	bps, err := human.ParseBytes(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a speed: use bytes per second, e.g. 100000, 500K, 1.5M or 2M", s)
	}
	if bps > 1<<50 {
		return 0, fmt.Errorf("%q is too fast a limit to mean anything", s)
	}
	return bps, nil
}

// parseArgs reads the arguments after "get". Flags may come before or
// after URLs; "--" ends the flags. It returns flag.ErrHelp for -h/--help
// and a *usageError for any mistake.
func parseArgs(args []string) (config, error) {
	cfg := config{Jobs: engine.DefaultMaxActive, Conns: engine.DefaultConnections}
	fs := flag.NewFlagSet("haul get", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&cfg.Dir, "d", "", "destination folder")
	fs.StringVar(&cfg.Input, "i", "", "read links from FILE ('-' = standard input)")
	fs.IntVar(&cfg.Jobs, "j", cfg.Jobs, "downloads at once")
	fs.IntVar(&cfg.Conns, "x", cfg.Conns, "connections per download")
	fs.StringVar(&cfg.State, "state", "", "state folder")
	fs.BoolVar(&cfg.JSON, "json", false, "JSON lines output")
	fs.Var(rateValue{&cfg.Rate}, "limit-rate", "total speed cap")
	fs.StringVar(&cfg.Checksum, "checksum", "", "expected digest ALGO=HEX")
	fs.StringVar(&cfg.CACert, "ca-cert", "", "extra PEM CA bundle")
	var base string
	fs.StringVar(&base, "base", "", "address of the -i page, for its relative links")
	fs.BoolVar(&cfg.AllowDowngrade, "allow-https-downgrade", false, "follow https→http redirects")
	fs.StringVar(&cfg.Quality, "quality", "", "HLS variant: best, worst or a height")
	fs.StringVar(&cfg.Remote, "remote", "", "send the links to this remote downloader")
	fs.BoolVar(&cfg.Wait, "wait", false, "with --remote, follow the downloads to the end")

	seen := map[string]bool{}
	cfg.seen = seen
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return cfg, flag.ErrHelp
			}
			return cfg, &usageError{msg: err.Error()}
		}
		fs.Visit(func(f *flag.Flag) { seen[f.Name] = true })
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			cfg.URLs = append(cfg.URLs, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		cfg.URLs = append(cfg.URLs, rest[0])
		args = rest[1:]
	}
	if cfg.Jobs < 1 || cfg.Jobs > engine.MaxMaxActive {
		return cfg, usagef("-j %d: downloads at once must be from 1 to %d", cfg.Jobs, engine.MaxMaxActive)
	}
	if cfg.Conns < 1 || cfg.Conns > engine.MaxConnections {
		return cfg, usagef("-x %d: connections per download must be from 1 to %d", cfg.Conns, engine.MaxConnections)
	}
	if seen["base"] {
		u, err := url.Parse(strings.TrimSpace(base))
		if base == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, usagef("--base %q: give the page's http or https address", base)
		}
		cfg.Base = u
	}
	for _, f := range []struct {
		name, val string
	}{{"d", cfg.Dir}, {"i", cfg.Input}, {"state", cfg.State}, {"ca-cert", cfg.CACert}, {"checksum", cfg.Checksum}} {
		if seen[f.name] && strings.TrimSpace(f.val) == "" {
			dash := "-"
			if len(f.name) > 1 {
				dash = "--"
			}
			return cfg, usagef("%s%s needs a value", dash, f.name)
		}
	}
	if seen["remote"] && strings.TrimSpace(cfg.Remote) == "" {
		return cfg, usagef("--remote needs the name of a remote downloader")
	}
	if cfg.Wait && cfg.Remote == "" {
		return cfg, usagef("--wait goes with --remote NAME")
	}
	if seen["quality"] {
		if _, err := hls.ParseQuality(cfg.Quality); err != nil {
			return cfg, usagef("--quality: %v", err)
		}
	}
	return cfg, nil
}
