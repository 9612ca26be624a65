package engine

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/haul-dl/haul/engine/links"
)

// withoutPassword returns a copy of u that keeps the user name but not the
// password: what Haul stores on disk.
func withoutPassword(u *url.URL) *url.URL {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	return &c
}

// ParseURL checks that s is an absolute http or https URL with a host and
// explains in words what is wrong when it is not.
func ParseURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			ue.URL = links.Scrub(ue.URL) // it quotes the whole link
		}
		return nil, fmt.Errorf("malformed URL: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fmt.Errorf("not a link: %q needs http:// or https://", truncate(s, 80))
	default:
		return nil, fmt.Errorf("unsupported scheme %q: only http and https links can be downloaded", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("malformed URL: %q has no host", truncate(links.Scrub(u.String()), 80))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Fragment = ""
	u.RawFragment = ""
	return u, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
