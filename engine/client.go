package engine

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// maxRedirects is how many redirects one request may follow.
const maxRedirects = 10

// maxHeaderBytes caps the size of a response's headers.
const maxHeaderBytes = 64 << 10

// newClient builds Haul's HTTP client: certificates always verified (with
// an optional extra CA bundle), no transparent decompression, bounded
// headers, and a redirect policy that keeps credentials with their origin.
func newClient(opt Options) (*http.Client, error) {
	rt := opt.Transport
	if rt == nil {
		roots, err := x509.SystemCertPool()
		if err != nil || roots == nil {
			roots = x509.NewCertPool()
		}
		if opt.CACertFile != "" {
			pem, err := os.ReadFile(opt.CACertFile)
			if err != nil {
				return nil, fmt.Errorf("reading CA bundle: %w", err)
			}
			if !roots.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("reading CA bundle %s: no PEM certificates in it", opt.CACertFile)
			}
		}
		rt = &http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: (&net.Dialer{
				Timeout:   30 * time.Second,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    15 * time.Second,
			DisableCompression:     true,
			MaxResponseHeaderBytes: maxHeaderBytes,
			MaxIdleConns:           64,
			MaxIdleConnsPerHost:    16,
			IdleConnTimeout:        60 * time.Second,
			ForceAttemptHTTP2:      true,
		}
	}
	return &http.Client{
		Transport:     rt,
		CheckRedirect: redirectPolicy(opt.AllowDowngrade),
	}, nil
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// credentialHeaders are never carried across origins.
var credentialHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// redirectPolicy is Haul's CheckRedirect: at most maxRedirects hops, no
// loops, http(s) only, no https→http downgrade unless allowed, and no
// credentials sent to an origin other than the one they were given for.
// (Go's default policy still sends Authorization on a same-host https→http
// hop.)
func redirectPolicy(allowDowngrade bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		to := req.URL.Redacted()
		if len(via) >= maxRedirects {
			return &redirectError{fmt.Sprintf("too many redirects (more than %d), last to %s", maxRedirects, to)}
		}
		switch req.URL.Scheme {
		case "http", "https":
		default:
			return &redirectError{fmt.Sprintf("refused a redirect to %q: only http and https are allowed", to)}
		}
		for _, prev := range via {
			if sameURL(prev.URL, req.URL) {
				return &redirectError{"redirect loop at " + to}
			}
		}
		last := via[len(via)-1]
		if last.URL.Scheme == "https" && req.URL.Scheme == "http" && !allowDowngrade {
			return &redirectError{"refused a redirect from https to plain http (" + to + ")"}
		}
		first := via[0]
		if origin(req.URL) != origin(first.URL) {
			for _, h := range credentialHeaders {
				req.Header.Del(h)
			}
		}
		return nil
	}
}

func sameURL(a, b *url.URL) bool {
	return origin(a) == origin(b) && a.EscapedPath() == b.EscapedPath() && a.RawQuery == b.RawQuery
}

// redact returns u as a string with any password removed entirely.
func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, has := c.User.Password(); has {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		}
	}
	return c.String()
}

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
		return nil, fmt.Errorf("malformed URL: %q has no host", truncate(redact(u), 80))
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
