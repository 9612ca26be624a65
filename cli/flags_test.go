package cli

import (
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
)

// TestParseRate checks what a speed adds to a size (human.ParseBytes,
// tested there): "/s", and refusing what cannot be a limit.
func TestParseRate(t *testing.T) {
	good := map[string]int64{"500K": 500 * 1024, "64K/s": 64 * 1024, "2MiB/s": 2 << 20, "0": 0, "1": 1, "0.5K": 512}
	for in, want := range good {
		got, err := parseRate(in)
		if err != nil || got != want {
			t.Errorf("parseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]string{"fast": "not a speed", "-5K": "not a speed", "1e6": "not a speed", "2T": "not a speed",
		"0.5": "below one byte per second", "9999999G": "too fast", "1/s/s": "not a speed"}
	for in, want := range bad {
		if got, err := parseRate(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseRate(%q) = %d, %v; want an error saying %q", in, got, err, want)
		}
	}
}

func TestParseArgsFlagsAnywhere(t *testing.T) {
	cfg, err := parseArgs([]string{"http://a/1", "-d", "out", "http://a/2", "--json", "-j", "2", "http://a/3", "--limit-rate", "500K"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"http://a/1", "http://a/2", "http://a/3"}; !slices.Equal(cfg.URLs, want) {
		t.Errorf("URLs = %q, want %q", cfg.URLs, want)
	}
	if cfg.Dir != "out" || !cfg.JSON || cfg.Jobs != 2 || cfg.Rate != 500*1024 || cfg.Conns != 16 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestParseArgsDoubleDashEndsFlags(t *testing.T) {
	cfg, err := parseArgs([]string{"-x", "3", "--", "http://a/-j", "-d"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"http://a/-j", "-d"}; !slices.Equal(cfg.URLs, want) {
		t.Errorf("URLs = %q, want %q", cfg.URLs, want)
	}
	if cfg.Conns != 3 || cfg.Dir != "" {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestParseArgsDefaults(t *testing.T) {
	cfg, err := parseArgs(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Jobs != 4 || cfg.Conns != 16 || cfg.Rate != 0 || cfg.JSON || cfg.AllowDowngrade || len(cfg.URLs) != 0 {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestParseArgsAllFlags(t *testing.T) {
	cfg, err := parseArgs([]string{"-i", "-", "--state", "st", "--checksum", "sha256=ab", "--ca-cert", "ca.pem", "--allow-https-downgrade", "-x", "1", "--quality", "720p"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Input != "-" || cfg.State != "st" || cfg.Checksum != "sha256=ab" || cfg.CACert != "ca.pem" || !cfg.AllowDowngrade || cfg.Conns != 1 || cfg.Quality != "720p" {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestParseArgsHelp(t *testing.T) {
	for _, a := range [][]string{{"-h"}, {"--help"}, {"http://a/", "--help"}} {
		if _, err := parseArgs(a); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("parseArgs(%q) error = %v, want flag.ErrHelp", a, err)
		}
	}
}

func TestParseArgsUsageErrors(t *testing.T) {
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown flag":     {[]string{"--frobnicate"}, "frobnicate"},
		"unknown after":    {[]string{"http://a/", "-z"}, "-z"},
		"j zero":           {[]string{"-j", "0"}, "-j 0"},
		"j not a number":   {[]string{"-j", "many"}, "many"},
		"j too big":        {[]string{"-j", "1000"}, "from 1 to 64"},
		"x zero":           {[]string{"-x", "0", "http://a/"}, "-x 0"},
		"x too big":        {[]string{"-x", "33"}, "from 1 to 32"},
		"bad rate":         {[]string{"--limit-rate", "fast"}, "not a speed"},
		"missing value":    {[]string{"-d"}, "needs an argument"},
		"empty dir":        {[]string{"-d", "", "http://a/"}, "-d needs a value"},
		"empty state":      {[]string{"--state=", "http://a/"}, "--state needs a value"},
		"bool with value":  {[]string{"--json=maybe"}, "json"},
		"rate with letter": {[]string{"--limit-rate", "5Q"}, "not a speed"},
		"bad quality":      {[]string{"--quality", "high", "http://a/v.m3u8"}, "--quality"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseArgs(c.args)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("parseArgs(%q) error = %v, want a usage error", c.args, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func TestHelpTextMentionsEveryFlag(t *testing.T) {
	for _, f := range []string{"-d DIR", "-i FILE", "-j N", "-x N", "--state DIR", "--json", "--limit-rate R", "--checksum ALGO=HEX", "--ca-cert FILE", "--allow-https-downgrade", "--quality Q", "Examples:", "Exit status"} {
		if !strings.Contains(helpText, f) {
			t.Errorf("help text does not mention %q", f)
		}
	}
}
