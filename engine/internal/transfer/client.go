package transfer

import (
	"context"
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

// ClientOptions configure NewClient.
type ClientOptions struct {
	Transport      http.RoundTripper // replaces Haul's own transport (tests)
	CACertFile     string            // PEM bundle trusted besides the system roots
	AllowDowngrade bool              // permit redirects from https to plain http
}

// NewClient builds Haul's HTTP client: certificates always verified (with
// an optional extra CA bundle), no transparent decompression, bounded
// headers, and a redirect policy that keeps credentials and a request's
// extra headers with their origin.
func NewClient(opt ClientOptions) (*http.Client, error) {
	rt := opt.Transport
	if rt == nil {
		// Without an extra bundle RootCAs stays nil: crypto/tls then uses
		// the system roots, loaded on the first https connection instead
		// of on every start (a plain-http session never pays for them).
		var roots *x509.CertPool
		if opt.CACertFile != "" {
			var err error
			if roots, err = x509.SystemCertPool(); err != nil || roots == nil {
				roots = x509.NewCertPool()
			}
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
		// via holds every request so far, the first included: the hop
		// being checked is redirect number len(via).
		if len(via) > maxRedirects {
			return &RedirectError{fmt.Sprintf("too many redirects (more than %d), last to %s", maxRedirects, to)}
		}
		switch req.URL.Scheme {
		case "http", "https":
		default:
			return &RedirectError{fmt.Sprintf("refused a redirect to %q: only http and https are allowed", to)}
		}
		if req.URL.Host == "" || req.URL.Hostname() == "" {
			return &RedirectError{fmt.Sprintf("refused a redirect to a malformed URL with no host (%q)", to)}
		}
		for _, prev := range via {
			if sameURL(prev.URL, req.URL) {
				return &RedirectError{"redirect loop at " + to}
			}
		}
		last := via[len(via)-1]
		if last.URL.Scheme == "https" && req.URL.Scheme == "http" && !allowDowngrade {
			return &RedirectError{"refused a redirect from https to plain http (" + to + ")"}
		}
		first := via[0]
		if origin(req.URL) != origin(first.URL) {
			for _, h := range credentialHeaders {
				req.Header.Del(h)
			}
			for _, h := range extraHeaderNames(req.Context()) {
				req.Header.Del(h)
			}
		}
		return nil
	}
}

func sameURL(a, b *url.URL) bool {
	return origin(a) == origin(b) && a.EscapedPath() == b.EscapedPath() && a.RawQuery == b.RawQuery
}

// extraKey is the context key of the names of a request's extra headers.
type extraKey struct{}

// withExtraHeaders records, in the request's context, which headers came
// from the Request (a browser's Cookie, Referer, ...), so the redirect
// policy drops them when a redirect leaves their origin.
func withExtraHeaders(ctx context.Context, h http.Header) context.Context {
	if len(h) == 0 {
		return ctx
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	return context.WithValue(ctx, extraKey{}, names)
}

func extraHeaderNames(ctx context.Context) []string {
	names, _ := ctx.Value(extraKey{}).([]string)
	return names
}

// ownHeaders are set by Haul on every request and never taken from a
// Request's extra headers.
var ownHeaders = map[string]bool{
	"Range": true, "If-Range": true, "Accept-Encoding": true, "Host": true, "Connection": true,
	"Content-Length": true, "Transfer-Encoding": true, "Te": true, "Trailer": true, "Upgrade": true,
	"Keep-Alive": true, "Proxy-Authorization": true, "Proxy-Connection": true,
}

// CleanHeader returns the extra headers of a Request that may be sent:
// canonical names, without the ones Haul sets itself or that belong to
// the connection rather than the request. nil when none are left.
func CleanHeader(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		if ownHeaders[k] || len(vs) == 0 || !validHeaderName(k) {
			continue
		}
		if out == nil {
			out = http.Header{}
		}
		for _, v := range vs {
			if !strings.ContainsAny(v, "\r\n\x00") {
				out.Add(k, v)
			}
		}
	}
	return out
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range []byte(k) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}
