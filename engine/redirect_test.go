package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// What a redirect carries to the origin it reaches: each test below
// asserts the headers that origin received (issue 23).

// otherOrigins are the two kinds of second origin a redirect can reach
// from New's 127.0.0.1: another loopback address, and another port.
func otherOrigins(t *testing.T) map[string]*testserver.Server {
	t.Helper()
	addr := testserver.NewOn("127.0.0.2")
	t.Cleanup(addr.Close)
	port := testserver.New()
	t.Cleanup(port.Close)
	return map[string]*testserver.Server{"another address": addr, "another port": port}
}

// received checks that path on s was asked for, each time with header
// key exactly want ("" for none).
func received(t *testing.T, s *testserver.Server, path, key, want string) {
	t.Helper()
	got := s.Received(path, key)
	if len(got) == 0 {
		t.Errorf("%s%s was never asked for", s.URL(""), path)
	}
	for _, v := range got {
		if v != want {
			t.Errorf("%s%s received %s %q, want %q", s.URL(""), path, key, v, want)
		}
	}
}

// handedOver sets a browser's headers on a Request: its page as Referer
// ("" for none), a cookie, a header of its own and its User-Agent.
func handedOver(page string) func(*Request) {
	return func(r *Request) {
		r.Header = Header{}
		if page != "" {
			r.Header.Set("Referer", page)
		}
		r.Header.Set("Cookie", "sid=s3cret")
		r.Header.Set("X-Custom", "custom-value")
		r.Header.Set("User-Agent", "BrowserUA/2")
	}
}

func TestOwnRedirectCarriesNoReferer(t *testing.T) {
	data := randomBytes(32 << 10)
	for name, other := range otherOrigins(t) {
		t.Run(name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/x.zip", nil, testserver.Redirect(302, other.URL("/x.zip")))
			other.Add("/x.zip", data)
			e := newEnv(t)
			e.mustComplete(e.add(srv.URL("/x.zip?token=SIGNED123")), data)
			received(t, other, "/x.zip", "Referer", "")
			for _, r := range other.Requests("/x.zip") {
				for k, vs := range r.Header {
					if strings.Contains(strings.Join(vs, " "), "SIGNED123") {
						t.Errorf("the signed token went to another origin in %s: %q", k, vs)
					}
				}
			}
		})
	}
	// Go's client would send the previous URL to its own origin too.
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/a.zip", nil, testserver.Redirect(302, "/b.zip"))
	srv.Add("/b.zip", data)
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/a.zip?token=SIGNED123")), data)
	received(t, srv, "/a.zip", "Referer", "")
	received(t, srv, "/b.zip", "Referer", "")
}

func TestPageRefererIsSentWholeToItsOriginAndCutElsewhere(t *testing.T) {
	data := randomBytes(32 << 10)
	for name, other := range otherOrigins(t) {
		t.Run(name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			// The page on the link's origin: whole there, after a
			// same-origin redirect too; only its origin elsewhere.
			srv.Add("/f.zip", nil, testserver.Redirect(302, "/g.zip"))
			srv.Add("/g.zip", nil, testserver.Redirect(302, other.URL("/h.zip")))
			other.Add("/h.zip", data)
			page := srv.URL("/page?session=42")
			e := newEnv(t)
			e.mustComplete(e.add(srv.URL("/f.zip?token=SIGNED123"), handedOver(page)), data)
			received(t, srv, "/f.zip", "Referer", page)
			received(t, srv, "/g.zip", "Referer", page)
			received(t, other, "/h.zip", "Referer", srv.URL("/"))

			// The page on another origin than the link: cut to its
			// origin on the first request, whole once a redirect
			// reaches the page's origin.
			srv.Add("/k.zip", nil, testserver.Redirect(302, other.URL("/k.zip")))
			other.Add("/k.zip", data)
			away := other.URL("/list?id=7")
			e.mustComplete(e.add(srv.URL("/k.zip?token=SIGNED123"), handedOver(away)), data)
			received(t, srv, "/k.zip", "Referer", other.URL("/"))
			received(t, other, "/k.zip", "Referer", away)
		})
	}
}

func TestHandedOverHeadersStayWithTheirOrigin(t *testing.T) {
	data := randomBytes(32 << 10)
	for name, other := range otherOrigins(t) {
		t.Run(name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/private.zip", nil, testserver.RequireAuth("alice", "pw"), testserver.RequireHeader("Cookie", "sid=s3cret"),
				testserver.Redirect(302, other.URL("/file.zip")))
			other.Add("/file.zip", data)
			link := strings.Replace(srv.URL("/private.zip?token=SIGNED123"), "http://", "http://alice:pw@", 1)
			e := newEnv(t)
			e.mustComplete(e.add(link, handedOver(srv.URL("/page"))), data)
			received(t, srv, "/private.zip", "X-Custom", "custom-value")
			received(t, srv, "/private.zip", "User-Agent", "BrowserUA/2")
			for _, k := range []string{"Authorization", "Cookie", "X-Custom"} {
				received(t, other, "/file.zip", k, "")
			}
			received(t, other, "/file.zip", "User-Agent", "Haul/1.0")
			received(t, other, "/file.zip", "Referer", srv.URL("/"))
		})
	}
}

func TestHTTPSToHTTPRedirectCarriesNothingOfThePage(t *testing.T) {
	data := randomBytes(32 << 10)
	tls := testserver.NewTLS()
	defer tls.Close()
	plain := testserver.NewOn("127.0.0.2")
	defer plain.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, tls.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.CACertFile = ca; o.AllowDowngrade = true })
	for i, page := range []string{"", tls.URL("/page?session=42")} {
		from, to := "/down"+string(rune('a'+i)), "/x"+string(rune('a'+i))+".zip"
		tls.Add(from, nil, testserver.Redirect(302, plain.URL(to)))
		plain.Add(to, data)
		e.mustComplete(e.add(tls.URL(from+"?token=SIGNED123"), handedOver(page)), data)
		received(t, tls, from, "Referer", page)
		received(t, plain, to, "Referer", "")
		received(t, plain, to, "Cookie", "")
	}
}

func TestHLSRedirectsCarryOnlyTheRefererAllowed(t *testing.T) {
	for _, withPage := range []bool{false, true} {
		t.Run(map[bool]string{false: "no page", true: "page"}[withPage], func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			other := testserver.NewOn("127.0.0.2")
			defer other.Close()
			third := testserver.New()
			defer third.Close()
			// The playlist, a segment and a key each redirected to
			// another origin.
			srv.Add("/p.m3u8", nil, testserver.Redirect(302, other.URL("/v/aes/index.m3u8")))
			other.AddHLS("/v",
				testserver.HLSFile("aes/seg1.ts", testserver.Redirect(302, third.URL("/v/aes/seg1.ts"))),
				testserver.HLSFile("aes/key2.key", testserver.Redirect(302, third.URL("/v/aes/key2.key"))))
			third.AddHLS("/v")
			page, elsewhere := "", ""
			if withPage {
				page, elsewhere = srv.URL("/watch?v=secret"), srv.URL("/")
			}
			e := newEnv(t)
			e.mustStream(e.add(srv.URL("/p.m3u8?token=SIGNED123"), handedOver(page)), "aes", "p.ts")
			received(t, srv, "/p.m3u8", "Referer", page)
			received(t, srv, "/p.m3u8", "Cookie", "sid=s3cret")
			for _, p := range []string{"index.m3u8", "key1.key", "seg0.ts", "seg1.ts", "key2.key", "seg2.ts"} {
				received(t, other, "/v/aes/"+p, "Referer", elsewhere)
				received(t, other, "/v/aes/"+p, "Cookie", "")
			}
			for _, p := range []string{"seg1.ts", "key2.key"} {
				received(t, third, "/v/aes/"+p, "Referer", elsewhere)
				received(t, third, "/v/aes/"+p, "Cookie", "")
			}
		})
	}
}

func TestErrorsShowNoUserinfoOrQuery(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	tls := testserver.NewTLS()
	defer tls.Close()
	srv.Add("/gone.zip", nil, testserver.Status(404, testserver.Always, ""))
	srv.Add("/toftp", nil, testserver.Redirect(302, "ftp://bob:hunter2@127.0.0.1/x?sig=SECRET2"))
	tls.Add("/down", nil, testserver.Redirect(302, srv.URL("/x.zip?sig=SECRET3")))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, tls.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.CACertFile = ca })
	withLogin := func(u string) string { return strings.Replace(u, "://", "://alice:pw1@", 1) }
	for link, want := range map[string]string{
		withLogin(srv.URL("/gone.zip?token=SIGNED123")): "404 Not Found: " + srv.URL("/gone.zip?…"),
		withLogin(srv.URL("/toftp?token=SIGNED123")):    `refused a redirect to "ftp://127.0.0.1/x?…"`,
		withLogin(tls.URL("/down?token=SIGNED123")):     "(" + srv.URL("/x.zip?…") + ")",
	} {
		s := e.wait(e.add(link))
		if s.State != Failed || !strings.Contains(s.Err, want) {
			t.Errorf("%s: state %v err %q, want it to say %q", link, s.State, s.Err, want)
		}
		texts := []string{s.Err, s.Problem.Message}
		if d, ok := e.m.Details(s.ID); ok {
			for _, a := range d.Attempts {
				texts = append(texts, a.Problem.Message)
			}
		}
		for _, text := range texts {
			for _, secret := range []string{"SIGNED123", "SECRET", "alice", "pw1", "bob", "hunter2"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s: error text %q shows %q", link, text, secret)
				}
			}
		}
	}
	// A link refused before any request names it without its secrets too.
	_, err := e.m.Add(Request{URL: "http://alice:pw1@[::1/x.zip?token=SIGNED123"})
	if err == nil || strings.Contains(err.Error(), "SIGNED123") || strings.Contains(err.Error(), "pw1") {
		t.Errorf("a malformed link refused with %v", err)
	}
}

func TestStoredErrorsFromBeforeAreShownWithoutUserinfoOrQuery(t *testing.T) {
	// A record an older Haul saved, its message holding the token.
	msg := "404 Not Found: http://alice:xxxxx@h.example/a.zip?token=SIGNED123"
	hist, err := json.Marshal(historyRecord{Attempts: []attemptRecord{{Outcome: "failed", Kind: "http", Status: 404, Message: msg}}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(record{V: 1, ID: "x", URL: "http://alice@h.example/a.zip?token=SIGNED123", Dir: t.TempDir(),
		State: "failed", Err: msg, Kind: "http", Status: 404, History: hist})
	if err != nil {
		t.Fatal(err)
	}
	d, err := downloadFromRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	s := d.snapshot()
	shown := []string{s.Err, s.Problem.Message}
	for _, a := range d.hist.newestFirst(0) {
		shown = append(shown, a.Problem.Message)
	}
	if len(shown) != 3 {
		t.Fatalf("the stored attempt was not restored: %q", shown)
	}
	for _, text := range shown {
		if text != "404 Not Found: http://h.example/a.zip?…" {
			t.Errorf("shown as %q", text)
		}
	}
}
