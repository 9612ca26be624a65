package engine

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// browserHeaders are what a browser hands over with a link.
func browserHeaders() Header {
	h := Header{}
	h.Set("Cookie", "session=cookie-secret-123")
	h.Set("Referer", "https://me:page-pw@page.example/list?id=7")
	h.Set("X-Custom", "custom-value")
	h.Set("Range", "bytes=5-")           // Haul's own: never taken from a request
	h.Set("Accept-Encoding", "gzip, br") // nor this
	return h
}

func TestRequestHeadersAreSentToTheOrigin(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(600 << 10)
	// Throttled per connection, so splitting pays (see the ramp).
	srv.Add("/f.bin", data, testserver.RequireHeader("Cookie", "session=cookie-secret-123"), testserver.Throttle(1<<20))
	e := newEnv(t, func(o *Options) { o.Connections = 4 })
	s := e.mustComplete(e.add(srv.URL("/f.bin"), func(r *Request) { r.Header = browserHeaders() }), data)
	reqs := srv.Requests("/f.bin")
	if len(reqs) < 2 {
		t.Fatalf("%d requests; want several connections, each with the headers", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("X-Custom") != "custom-value" {
			t.Errorf("a request without the extra headers: %v", r.Header)
		}
		// The page is https, the file plain http: a browser sends no
		// Referer there, and neither does Haul (see redirect_test.go).
		if v := r.Header.Get("Referer"); v != "" {
			t.Errorf("Referer %q sent from an https page to an http URL", v)
		}
		if r.Header.Get("Accept-Encoding") != "identity" || r.Range == "bytes=5-" {
			t.Errorf("a request's own headers were overridden: Accept-Encoding %q Range %q", r.Header.Get("Accept-Encoding"), r.Range)
		}
	}
	if want := "https://me:xxxxx@page.example/list?id=7"; s.Page != want {
		t.Errorf("Page %q, want %q", s.Page, want)
	}
}

func TestRequestHeadersAreDroppedOnACrossOriginRedirect(t *testing.T) {
	other := testserver.New()
	defer other.Close()
	data := []byte("elsewhere")
	other.Add("/file", data)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/here", nil, testserver.RequireHeader("Cookie", "session=cookie-secret-123"), testserver.Redirect(302, other.URL("/file")))
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/here"), func(r *Request) { r.Header = browserHeaders() }), data)
	if len(other.Requests("/file")) == 0 {
		t.Fatal("redirect not followed")
	}
	for _, r := range other.Requests("/file") {
		for _, k := range []string{"Cookie", "X-Custom", "Referer"} {
			if v := r.Header.Get(k); v != "" {
				t.Errorf("%s sent to another origin: %q", k, v)
			}
		}
	}
}

func TestRequestHeadersAreNeverStored(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(10 << 10)
	srv.Add("/f.bin", data)
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/f.bin"), func(r *Request) { r.Header = browserHeaders() }), data)
	e.m.Close()
	raw, err := os.ReadFile(filepath.Join(e.state, "haul.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"cookie-secret-123", "custom-value", "page-pw"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("%q is in the state store", secret)
		}
	}
	if !strings.Contains(string(raw), "page.example") {
		t.Error("the page the link came from was not kept")
	}
	e.open()
}

func TestHeadersAreAskedForAgainAfterRestart(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	srv.Add("/f.bin", data, testserver.RequireHeader("Cookie", "session=cookie-secret-123"), testserver.Throttle(256<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	withHeaders := func(r *Request) { r.Header = browserHeaders() }
	id := e.add(srv.URL("/f.bin"), withHeaders)
	e.waitSaved(id, 100<<10)
	e.reopen()
	s, _ := e.m.Get(id)
	if s.State != Failed || s.Problem.Kind != KindAuth || !strings.Contains(s.Err, "browser") {
		t.Fatalf("after a restart: state %v problem %+v", s.State, s.Problem)
	}
	if s.Received == 0 {
		t.Error("the progress was forgotten")
	}
	before := srv.Stats("/f.bin").BytesSent
	if again := e.add(srv.URL("/f.bin"), withHeaders); again != id {
		t.Fatal("handing the link over again should resume the same download")
	}
	e.mustComplete(id, data)
	if sent := srv.Stats("/f.bin").BytesSent - before; sent >= int64(len(data)) {
		t.Errorf("resumed with %d bytes for a %d-byte file: it started over", sent, len(data))
	}
	for _, r := range srv.Requests("/f.bin") {
		if r.Status == http.StatusForbidden {
			t.Error("a request went out without the headers")
		}
	}
}
