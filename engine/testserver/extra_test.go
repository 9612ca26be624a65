package testserver

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"testing"
)

func TestConfigureKeepsContentValidatorsAndCounts(t *testing.T) {
	s := New()
	defer s.Close()
	s.Add("/a.bin", Content(1000, 1), Header("X-Test", "before"))
	get := func() (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(s.URL("/a.bin"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, body
	}
	first, _ := get()
	s.Configure("/a.bin", Status(503, 2, "")) // requests are counted since Add: the second one
	if resp, _ := get(); resp.StatusCode != 503 {
		t.Fatalf("status %d after Configure(Status), want 503", resp.StatusCode)
	}
	resp, body := get()
	if resp.StatusCode != 200 || len(body) != 1000 || resp.Header.Get("X-Test") != "before" {
		t.Fatalf("then: %d with %d bytes and X-Test %q, want 200 with 1000 and the old header", resp.StatusCode, len(body), resp.Header.Get("X-Test"))
	}
	if a, b := first.Header.Get("Etag"), resp.Header.Get("Etag"); a == "" || a != b {
		t.Errorf("ETag %q became %q, want it kept", a, b)
	}
	if a, b := first.Header.Get("Last-Modified"), resp.Header.Get("Last-Modified"); a != b {
		t.Errorf("Last-Modified %q became %q, want it kept", a, b)
	}
	if got := s.Stats("/a.bin").Requests; got != 3 {
		t.Errorf("requests = %d, want the count kept (3)", got)
	}
}

// Refuse hangs up on the requests it names, before any answer, and
// answers the others.
func TestRefuseHangsUpOnTheRequestsItNames(t *testing.T) {
	s := New()
	defer s.Close()
	s.Add("/a.bin", Content(1000, 1), Refuse(1, 2))
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var got []bool
	for range 4 {
		resp, err := client.Get(s.URL("/a.bin"))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		got = append(got, err == nil)
	}
	if want := []bool{true, false, false, true}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("answered %v, want %v", got, want)
	}
	if n := s.Stats("/a.bin").BytesSent; n != 2000 {
		t.Errorf("sent %d body bytes, want 2000", n)
	}
}

// ResetLonger cuts only bodies longer than its cut, counting only those.
func TestResetLongerCountsOnlyLongerBodies(t *testing.T) {
	s := New()
	defer s.Close()
	s.Add("/a.bin", Content(1000, 1), ResetLonger(600, 2))
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var got []int
	for _, rg := range []string{"bytes=0-99", "bytes=0-", "bytes=500-", "bytes=0-", "bytes=0-"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL("/a.bin"), nil)
		req.Header.Set("Range", rg)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = append(got, len(b))
	}
	if want := []int{100, 600, 500, 600, 1000}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bodies of %v bytes, want %v", got, want)
	}
	if n := s.Stats("/a.bin").Resets; n != 2 {
		t.Errorf("%d cuts, want 2", n)
	}
}

// ShiftConcurrent shifts only the ranges asked while another request is
// in flight.
func TestShiftConcurrentShiftsOnlyParallelRanges(t *testing.T) {
	s := New()
	defer s.Close()
	release := make(chan struct{})
	s.Add("/a.bin", Content(1000, 1), ShiftConcurrent(-10), Hold(100, release))
	get := func(rg string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.URL("/a.bin"), nil)
		req.Header.Set("Range", rg)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := get("bytes=0-499") // held after 100 bytes: in flight
	if cr := first.Header.Get("Content-Range"); cr != "bytes 0-499/1000" {
		t.Errorf("alone: Content-Range %q", cr)
	}
	second := get("bytes=500-599")
	second.Body.Close()
	if cr := second.Header.Get("Content-Range"); cr != "bytes 490-589/1000" {
		t.Errorf("while another is in flight: Content-Range %q, want it shifted", cr)
	}
	close(release)
	_, _ = io.Copy(io.Discard, first.Body)
	first.Body.Close()
	for s.Stats("/a.bin").InFlight > 0 {
		runtime.Gosched()
	}
	third := get("bytes=500-599")
	third.Body.Close()
	if cr := third.Header.Get("Content-Range"); cr != "bytes 500-599/1000" {
		t.Errorf("alone again: Content-Range %q", cr)
	}
}

func TestConnectionsCountsEveryAcceptedConnection(t *testing.T) {
	s := New()
	defer s.Close()
	s.Add("/a", []byte("abc"))
	get := func(c *http.Client) {
		t.Helper()
		resp, err := c.Get(s.URL("/a"))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	kept := &http.Client{Transport: &http.Transport{}}
	get(kept)
	get(kept) // over the kept-alive connection
	if n := s.Connections(); n != 1 {
		t.Fatalf("after two requests over one kept-alive connection: %d connections, want 1", n)
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get(fresh)
	get(fresh)
	if n := s.Connections(); n != 3 {
		t.Errorf("after two more without keep-alive: %d connections, want 3", n)
	}
	kept.CloseIdleConnections()
}

func TestNewH2SpeaksHTTP2(t *testing.T) {
	s := NewH2()
	defer s.Close()
	s.Add("/a", []byte("abc"))
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}, ForceAttemptHTTP2: true}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(s.URL("/a"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.ProtoMajor != 2 || string(body) != "abc" {
		t.Fatalf("got %s %q, want HTTP/2 and abc", resp.Proto, body)
	}
	if r := s.Requests("/a"); len(r) != 1 || r[0].Proto != "HTTP/2.0" {
		t.Errorf("recorded %+v, want one HTTP/2.0 request", r)
	}
}
