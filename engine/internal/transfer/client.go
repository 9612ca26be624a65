package transfer

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/internal/certpool"
)

// maxRedirects is how many redirects one request may follow.
const maxRedirects = 10

// userAgent is Haul's User-Agent, unless a browser handed over its own.
const userAgent = "Haul/1.0"

// maxHeaderBytes caps the size of a response's headers.
const maxHeaderBytes = 64 << 10

// ClientOptions configure NewClient.
type ClientOptions struct {
	Transport      http.RoundTripper // replaces Haul's own transport (tests)
	CACertFile     string            // PEM bundle trusted besides the system roots
	AllowDowngrade bool              // permit redirects from https to plain http
	// PerHost is how many idle connections to one host are kept alive
	// for the next request (default defaultPerHost): as many as Haul lets
	// be open to it (Options.PerHost), or the ones over it are closed
	// when a batch of downloads ends and the next batch pays their
	// handshakes again. (It does not cap the connections opened: a
	// segment worker that waits for the writer holds its connection, and
	// a cap could leave the segment the writer needs waiting behind it.)
	PerHost int
}

// defaultPerHost is ClientOptions.PerHost when it is not set.
const defaultPerHost = 16

// NewClient builds Haul's HTTP client: certificates always verified (with
// an optional extra CA bundle), no transparent decompression, bounded
// headers, and a redirect policy that keeps credentials and a request's
// extra headers with their origin.
func NewClient(opt ClientOptions) (*http.Client, error) {
	rt := opt.Transport
	if rt == nil {
		perHost := cmp.Or(opt.PerHost, defaultPerHost)
		// Without an extra bundle RootCAs stays nil: crypto/tls then uses
		// the system roots, loaded on the first https connection instead
		// of on every start (a plain-http session never pays for them).
		var roots *x509.CertPool
		if opt.CACertFile != "" {
			var err error
			if roots, err = certpool.WithExtra(opt.CACertFile); err != nil {
				return nil, err
			}
		}
		rt = newLanes(&http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: (&net.Dialer{
				Timeout:   30 * time.Second,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    15 * time.Second,
			DisableCompression:     true,
			MaxResponseHeaderBytes: maxHeaderBytes,
			MaxIdleConns:           0, // no total: each host's are capped, and all time out
			MaxIdleConnsPerHost:    perHost,
			IdleConnTimeout:        60 * time.Second,
			ForceAttemptHTTP2:      true,
		}) // a transport for each of a download's connections (lanes.go)
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
// loops, http(s) only, no https→http downgrade unless allowed, no
// credentials sent to an origin other than the one they were given for
// (Go's default policy still sends Authorization on a same-host
// https→http hop), and no Referer: Go's client would send the previous
// URL, query and all. A download's handed-over headers and page Referer
// are its own client's business (handedOver.client).
func redirectPolicy(allowDowngrade bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		to := links.Scrub(req.URL.String())
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
		if origin(req.URL) != origin(via[0].URL) {
			for _, name := range credentialHeaders {
				req.Header.Del(name)
			}
		}
		req.Header.Del("Referer")
		return nil
	}
}

func sameURL(a, b *url.URL) bool {
	return origin(a) == origin(b) && a.EscapedPath() == b.EscapedPath() && a.RawQuery == b.RawQuery
}

// handedOver is a download's extra headers (a browser's Cookie, Referer,
// User-Agent, ...), given for the origin of its URL, home.
type handedOver struct {
	home   *url.URL
	header http.Header
	page   *url.URL // the page Referer; nil: none, or not an http(s) URL
}

func newHandedOver(home *url.URL, h http.Header) handedOver {
	return handedOver{home: home, header: h, page: pageReferer(h.Get("Referer"))}
}

// onRequest adds the headers to req, a first request: all of them when
// it goes to home's origin, and to any origin the page Referer as
// refererFor allows.
func (ho handedOver) onRequest(req *http.Request) {
	if origin(req.URL) == origin(ho.home) {
		for k, vs := range ho.header {
			req.Header[k] = append([]string(nil), vs...)
		}
	}
	setReferer(req, ho.page)
}

// client returns c, or with headers to hand over a copy of it whose
// redirect policy, after c's own, drops every one of them when a redirect
// leaves the first request's origin (Haul's User-Agent replaces a
// browser's) and gives each new URL the Referer the page allows. It is a
// copy of the client, not a value in the request's context, so that a
// request given another context keeps the rules.
func (ho handedOver) client(c *http.Client) *http.Client {
	if len(ho.header) == 0 {
		return c
	}
	base := c.CheckRedirect
	cc := *c
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if base != nil {
			if err := base(req, via); err != nil {
				return err
			}
		} else if len(via) >= 10 { // Go's default policy
			return errors.New("stopped after 10 redirects")
		}
		if origin(req.URL) != origin(via[0].URL) {
			for name := range ho.header {
				req.Header.Del(name)
			}
			if req.Header.Get("User-Agent") == "" {
				req.Header.Set("User-Agent", userAgent) // not Go's own
			}
		}
		setReferer(req, ho.page)
		return nil
	}
	return &cc
}

// pageReferer parses a handed-over Referer: an absolute http or https
// URL, else nil (nothing is sent for it).
func pageReferer(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil
	}
	return u
}

// setReferer makes page's Referer for req's URL the request's only one.
func setReferer(req *http.Request, page *url.URL) {
	if ref := refererFor(page, req.URL); ref != "" {
		req.Header.Set("Referer", ref)
	} else {
		req.Header.Del("Referer")
	}
}

// refererFor is the Referer a request to target carries for the page it
// came from, by the browsers' default policy, strict-origin-when-cross-origin:
// the page's URL to the page's own origin, only its origin ("https://host/")
// to another, and nothing from an https page to an http URL. Userinfo and
// fragment are never sent, as in a browser. "" when there is no page.
func refererFor(page, target *url.URL) string {
	if page == nil || (page.Scheme == "https" && target.Scheme != "https") {
		return ""
	}
	if origin(page) == origin(target) {
		c := *page
		c.User, c.Fragment, c.RawFragment = nil, "", ""
		return c.String()
	}
	return (&url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/"}).String()
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
