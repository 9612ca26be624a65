package transfer

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRefererForFollowsStrictOriginWhenCrossOrigin(t *testing.T) {
	tests := []struct{ page, target, want string }{
		{"https://page.example/list?id=7", "https://page.example/f.zip", "https://page.example/list?id=7"},
		{"https://me:pw@page.example/list?id=7#top", "https://page.example/f.zip", "https://page.example/list?id=7"},
		{"https://page.example/list?id=7", "https://cdn.example/f.zip?token=1", "https://page.example/"},
		{"https://page.example:8443/list?id=7", "https://page.example/f.zip", "https://page.example:8443/"},
		{"http://page.example/list?id=7", "https://page.example/f.zip", "http://page.example/"},
		{"http://page.example/list?id=7", "http://cdn.example/f.zip", "http://page.example/"},
		{"https://page.example/list?id=7", "http://page.example/f.zip", ""},
		{"https://page.example/list?id=7", "http://cdn.example/f.zip", ""},
	}
	for _, tc := range tests {
		if got := refererFor(mustURL(t, tc.page), mustURL(t, tc.target)); got != tc.want {
			t.Errorf("page %s → %s: Referer %q, want %q", tc.page, tc.target, got, tc.want)
		}
	}
	if got := refererFor(nil, mustURL(t, "https://a.example/")); got != "" {
		t.Errorf("no page: Referer %q", got)
	}
	for _, bad := range []string{"", "not a url", "file:///etc/passwd", "/relative/page", "javascript:alert(1)"} {
		if pageReferer(bad) != nil {
			t.Errorf("page Referer %q taken", bad)
		}
	}
}

// hop runs c's redirect policy for a hop from first to next, with the
// headers Go's client would have put on it.
func hop(t *testing.T, c *http.Client, first *http.Request, next string, goHeaders http.Header) *http.Request {
	t.Helper()
	req := &http.Request{URL: mustURL(t, next), Header: goHeaders}
	if err := c.CheckRedirect(req, []*http.Request{first}); err != nil {
		t.Fatalf("redirect to %s: %v", next, err)
	}
	return req
}

// firstRequest is the first request of a download of home with the
// handed-over headers h, and the client for it.
func firstRequest(t *testing.T, home *url.URL, h http.Header) (*http.Request, *http.Client) {
	t.Helper()
	ho := newHandedOver(home, h)
	req := &http.Request{URL: home, Header: http.Header{}}
	ho.onRequest(req)
	return req, ho.client(&http.Client{CheckRedirect: redirectPolicy(true)})
}

func TestRedirectPolicyChoosesTheReferer(t *testing.T) {
	home := mustURL(t, "https://a.example/x.zip?token=SIGNED123")
	// Haul's own link, no page: whatever Go's client put as Referer goes.
	own, c := firstRequest(t, home, nil)
	if v := own.Header.Get("Referer"); v != "" {
		t.Fatalf("first request: Referer %q", v)
	}
	for _, next := range []string{"https://a.example/y", "https://b.example/y", "http://b.example/y"} {
		req := hop(t, c, own, next, http.Header{"Referer": {home.String()}})
		if v := req.Header.Get("Referer"); v != "" {
			t.Errorf("own redirect to %s: Referer %q, want none", next, v)
		}
	}

	// A page handed over with the link: the first request and every
	// redirect carry it as the policy allows for their URL.
	h := http.Header{"Referer": {"https://a.example/page?session=42"}, "Cookie": {"sid=1"}, "X-Custom": {"v"}, "User-Agent": {"BrowserUA/1"}}
	first, c := firstRequest(t, home, h)
	if v := first.Header.Get("Referer"); v != "https://a.example/page?session=42" {
		t.Errorf("first request, same origin: Referer %q", v)
	}
	goHeaders := func() http.Header {
		return http.Header{"Referer": {"https://a.example/page?session=42"}, "Cookie": {"sid=1"}, "X-Custom": {"v"}, "Authorization": {"Basic eHg6eXk="}, "User-Agent": {"BrowserUA/1"}}
	}
	for next, want := range map[string]string{
		"https://a.example/y":      "https://a.example/page?session=42",
		"https://b.example/y?t=1":  "https://a.example/",
		"https://a.example:8443/y": "https://a.example/",
		"http://a.example/y":       "",
	} {
		req := hop(t, c, first, next, goHeaders())
		if v := req.Header.Get("Referer"); v != want {
			t.Errorf("page redirect to %s: Referer %q, want %q", next, v, want)
		}
		same := origin(req.URL) == origin(home)
		if !same && req.Header.Get("User-Agent") != userAgent {
			t.Errorf("redirect to %s: User-Agent %q, want Haul's", next, req.Header.Get("User-Agent"))
		}
		for _, k := range []string{"Cookie", "X-Custom", "Authorization"} {
			if has := req.Header.Get(k) != ""; has != same {
				t.Errorf("redirect to %s: %s kept %v, want %v", next, k, has, same)
			}
		}
	}

	// A page on another origin than the link: cut to its origin on the
	// first request, and sent whole once a redirect reaches its origin.
	first, c = firstRequest(t, home, http.Header{"Referer": {"https://page.example/list?id=7"}})
	if v := first.Header.Get("Referer"); v != "https://page.example/" {
		t.Errorf("first request, page of another origin: Referer %q", v)
	}
	if v := hop(t, c, first, "https://page.example/dl", http.Header{}).Header.Get("Referer"); v != "https://page.example/list?id=7" {
		t.Errorf("redirect to the page's origin: Referer %q", v)
	}
	// A request of the download to another origin than its link's (an
	// HLS segment on a CDN) gets the page's Referer, never its cookies.
	seg := &http.Request{URL: mustURL(t, "https://cdn.example/s1.ts"), Header: http.Header{}}
	newHandedOver(home, h).onRequest(seg)
	if v, c := seg.Header.Get("Referer"), seg.Header.Get("Cookie"); v != "https://a.example/" || c != "" {
		t.Errorf("request to another origin: Referer %q Cookie %q", v, c)
	}
	// The policy still refuses what Haul's own refuses.
	if err := c.CheckRedirect(&http.Request{URL: mustURL(t, "ftp://b.example/"), Header: http.Header{}}, []*http.Request{first}); err == nil {
		t.Error("the download's client followed a redirect to ftp:")
	}
}

func TestProblemsNeverShowUserinfoOrQuery(t *testing.T) {
	link := "http://alice:hunter2@127.0.0.1:9/x.zip?token=SIGNED123"
	u := mustURL(t, link)
	errs := map[string]error{
		"status":    statusError(&http.Response{StatusCode: 404, Status: "404 Not Found", Header: http.Header{}}, link),
		"go's own":  &url.Error{Op: "Get", URL: u.Redacted(), Err: errors.New("net/http: HTTP/1.x transport connection broken: malformed HTTP response")},
		"redirect":  &url.Error{Op: "Get", URL: link, Err: &RedirectError{"refused a redirect from https to plain http (" + link + ")"}},
		"gave up":   &gaveUp{attempts: 5, err: &url.Error{Op: "Get", URL: u.Redacted(), Err: errors.New("unexpected EOF")}},
		"protocol":  &ProtocolError{"asked for bytes 0-9 of " + link + ", got Content-Range \"x\""},
		"integrity": &IntegrityError{link + " is 3 bytes, shorter than the range the playlist gives"},
	}
	for name, err := range errs {
		msg := ProblemOf(err).Message
		for _, secret := range []string{"SIGNED123", "token=", "alice", "hunter2"} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s: message %q shows %q", name, msg, secret)
			}
		}
		if !strings.Contains(msg, "127.0.0.1:9/x.zip?…") {
			t.Errorf("%s: message %q no longer names the file it was about", name, msg)
		}
	}
}
