package testserver_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestHoldPausesTheBodyUntilReleased(t *testing.T) {
	s := start(t)
	content := testserver.Content(100_000, 21)
	release := make(chan struct{})
	s.Add("/f", content, testserver.Hold(40_000, release))
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := c.Get(s.URL("/f"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 40_000)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the count of bytes sent", func() bool { return s.Stats("/f").BytesSent >= 40_000 })
	if st := s.Stats("/f"); st.BytesSent != 40_000 || st.InFlight != 1 {
		t.Fatalf("while held: %+v, want 40000 bytes sent and the request in flight", st)
	}
	close(release)
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(first, rest...), content) {
		t.Fatal("body differs")
	}
}

func TestCounterCountsRequestsUntilTheBodyIsClosed(t *testing.T) {
	s := start(t)
	s.Add("/f", testserver.Content(1000, 22))
	cnt := testserver.NewCounter(nil)
	c := &http.Client{Transport: cnt}
	var bodies []io.Closer
	for range 3 {
		resp, err := c.Get(s.URL("/f"))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, resp.Body)
	}
	if cnt.InFlight() != 3 || cnt.Max() != 3 {
		t.Fatalf("in flight %d, max %d; want 3 and 3", cnt.InFlight(), cnt.Max())
	}
	for _, b := range bodies {
		b.Close()
		b.Close() // a second Close counts nothing
	}
	if cnt.InFlight() != 0 || cnt.Max() != 3 {
		t.Fatalf("after closing: in flight %d, max %d; want 0 and 3", cnt.InFlight(), cnt.Max())
	}
	if _, err := c.Get("http://127.0.0.1:1/"); err == nil || cnt.InFlight() != 0 {
		t.Fatalf("a failed request stays counted: %d", cnt.InFlight())
	}
}

func TestRequireHeaderRefusesRequestsWithoutIt(t *testing.T) {
	s := start(t)
	s.Add("/f", []byte("x"), testserver.RequireHeader("Cookie", "s=1"))
	c := &http.Client{}
	resp, err := c.Get(s.URL("/f"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without the cookie: %d, want 403", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL("/f"), nil)
	req.Header.Set("Cookie", "s=1")
	if resp, err = c.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the cookie: %d, want 200", resp.StatusCode)
	}
}
