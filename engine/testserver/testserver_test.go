package testserver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// client returns a plain client that neither follows redirects nor asks
// for compression, closed at the end of the test.
func client(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func start(t *testing.T) *testserver.Server {
	t.Helper()
	s := testserver.New()
	t.Cleanup(s.Close)
	return s
}

// do sends a request with the given headers (pairs) and reads the body.
func do(t *testing.T, c *http.Client, method, u string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// get is do with GET that expects the body to be read without error.
func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	resp, body, err := do(t, c, http.MethodGet, u, hdr...)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", u, err)
	}
	return resp, body
}

// waitFor polls cond; the generous deadline only guards against hangs.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settled waits until no request for path is in flight (a client can
// finish reading a little before the handler has returned) and returns
// the path's stats.
func settled(t *testing.T, s *testserver.Server, path string) testserver.Stats {
	t.Helper()
	waitFor(t, path+" to settle", func() bool { return s.Stats(path).InFlight == 0 })
	return s.Stats(path)
}

func wantStatus(t *testing.T, resp *http.Response, code int) {
	t.Helper()
	if resp.StatusCode != code {
		t.Fatalf("status %d, want %d", resp.StatusCode, code)
	}
}

func TestPlainGET(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(100_000, 1)
	s.Add("/a.jpg", content)
	s.Add("/b.bin", testserver.Content(10, 2))
	s.Add("/noext", []byte("x"))

	resp, body := get(t, c, s.URL("/a.jpg"))
	wantStatus(t, resp, 200)
	if !bytes.Equal(body, content) {
		t.Fatal("body differs from content")
	}
	h := resp.Header
	for k, want := range map[string]string{
		"Accept-Ranges":  "bytes",
		"Content-Length": "100000",
		"Content-Type":   "image/jpeg",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := h.Get("ETag")
	if len(etag) < 3 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		t.Errorf("ETag %q is not a strong tag", etag)
	}
	lm, err := http.ParseTime(h.Get("Last-Modified"))
	if err != nil || !lm.Before(time.Now()) {
		t.Errorf("Last-Modified %q: %v", h.Get("Last-Modified"), err)
	}

	resp2, _ := get(t, c, s.URL("/b.bin"))
	if e2 := resp2.Header.Get("ETag"); e2 == etag || e2 == "" {
		t.Errorf("different content has ETag %q (first was %q)", e2, etag)
	}
	if ct := resp2.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("Content-Type for .bin = %q", ct)
	}
	resp3, _ := get(t, c, s.URL("/noext"))
	if ct := resp3.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("Content-Type without extension = %q", ct)
	}

	settled(t, s, "/b.bin")
	settled(t, s, "/noext")
	st := settled(t, s, "/a.jpg")
	if st.Requests != 1 || st.BytesSent != 100_000 || st.RangeRequests != 0 || st.Partial != 0 || st.InFlight != 0 || st.MaxConcurrent != 1 {
		t.Errorf("stats %+v", st)
	}
	if got, want := s.TotalBytesSent(), int64(100_000+10+1); got != want {
		t.Errorf("TotalBytesSent = %d, want %d", got, want)
	}
}

func TestHEAD(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/a.png", testserver.Content(5000, 1))
	resp, body, err := do(t, c, http.MethodHead, s.URL("/a.png"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp, 200)
	if resp.ContentLength != 5000 || len(body) != 0 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("HEAD: length %d, body %d bytes, type %q", resp.ContentLength, len(body), resp.Header.Get("Content-Type"))
	}
	resp, _, _ = do(t, c, http.MethodHead, s.URL("/a.png"), "Range", "bytes=10-19")
	wantStatus(t, resp, 206)
	if resp.Header.Get("Content-Range") != "bytes 10-19/5000" || resp.ContentLength != 10 {
		t.Fatalf("ranged HEAD: %q, length %d", resp.Header.Get("Content-Range"), resp.ContentLength)
	}
	if st := settled(t, s, "/a.png"); st.BytesSent != 0 || st.Requests != 2 {
		t.Fatalf("stats after HEADs: %+v", st)
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/a", []byte("x"))
	resp, _ := get(t, c, s.URL("/missing"))
	wantStatus(t, resp, 404)
	settled(t, s, "/missing")
	if got := s.Requests("/missing"); len(got) != 1 || got[0].Status != 404 {
		t.Fatalf("requests for /missing: %+v", got)
	}
	resp, _, _ = do(t, c, http.MethodPost, s.URL("/a"))
	wantStatus(t, resp, 405)
	if resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("Allow = %q", resp.Header.Get("Allow"))
	}
}

func TestRanges(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(1000, 3)
	s.Add("/f", content)
	s.Add("/empty", nil)

	tests := []struct {
		path, rng    string
		code         int
		contentRange string
		first, last  int // inclusive, for 206 and 200
	}{
		{"/f", "bytes=0-99", 206, "bytes 0-99/1000", 0, 99},
		{"/f", "bytes=500-", 206, "bytes 500-999/1000", 500, 999},
		{"/f", "bytes=-10", 206, "bytes 990-999/1000", 990, 999},
		{"/f", "bytes=-5000", 206, "bytes 0-999/1000", 0, 999},
		{"/f", "bytes=990-5000", 206, "bytes 990-999/1000", 990, 999},
		{"/f", "bytes=999-999", 206, "bytes 999-999/1000", 999, 999},
		{"/f", "bytes = 1-2", 206, "bytes 1-2/1000", 1, 2},
		{"/f", "bytes=1000-", 416, "bytes */1000", 0, -1},
		{"/f", "bytes=5000-6000", 416, "bytes */1000", 0, -1},
		{"/f", "bytes=-0", 416, "bytes */1000", 0, -1},
		{"/f", "bytes=99999999999999999999999-", 416, "bytes */1000", 0, -1},
		{"/empty", "bytes=0-", 416, "bytes */0", 0, -1},
		{"/f", "bytes=0-1,5-6", 200, "", 0, 999},
		{"/f", "bytes=5-2", 200, "", 0, 999},
		{"/f", "items=0-1", 200, "", 0, 999},
		{"/f", "bytes=a-b", 200, "", 0, 999},
		{"/f", "bytes=10", 200, "", 0, 999},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.rng, func(t *testing.T) {
			resp, body := get(t, c, s.URL(tc.path), "Range", tc.rng)
			wantStatus(t, resp, tc.code)
			if got := resp.Header.Get("Content-Range"); got != tc.contentRange {
				t.Errorf("Content-Range = %q, want %q", got, tc.contentRange)
			}
			if tc.code == 416 {
				return
			}
			want := content[tc.first : tc.last+1]
			if !bytes.Equal(body, want) {
				t.Errorf("body is %d bytes, want content[%d:%d]", len(body), tc.first, tc.last+1)
			}
			if resp.ContentLength != int64(len(want)) {
				t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(want))
			}
		})
	}
	st := settled(t, s, "/f")
	if st.RangeRequests != st.Requests || st.Partial != 7 {
		t.Errorf("stats %+v: want every request ranged and 7 partial", st)
	}
}

func TestIfRange(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(1000, 4)
	s.Add("/f", content)
	resp, _ := get(t, c, s.URL("/f"))
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	t0, _ := http.ParseTime(lm)

	tests := []struct {
		name, ifRange string
		code          int
	}{
		{"same strong etag", etag, 206},
		{"other etag", `"other"`, 200},
		{"weak form of the etag", "W/" + etag, 200},
		{"same date", lm, 206},
		{"later date", t0.Add(time.Second).Format(http.TimeFormat), 200},
		{"garbage", "yesterday", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, c, s.URL("/f"), "Range", "bytes=100-199", "If-Range", tc.ifRange)
			wantStatus(t, resp, tc.code)
			if tc.code == 200 && !bytes.Equal(body, content) {
				t.Error("200 answer is not the whole content")
			}
			if tc.code == 206 && !bytes.Equal(body, content[100:200]) {
				t.Error("206 answer is not the range")
			}
		})
	}
	// A failed If-Range also overrides an unsatisfiable range.
	resp, _ = get(t, c, s.URL("/f"), "Range", "bytes=5000-", "If-Range", `"other"`)
	wantStatus(t, resp, 200)
}

func TestETagKnobs(t *testing.T) {
	s := start(t)
	c := client(t)
	fixed := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
	s.Add("/none", []byte("a"), testserver.NoETag(), testserver.NoLastModified())
	s.Add("/weak", []byte("a"), testserver.WeakETag())
	s.Add("/fixed", []byte("a"), testserver.ETag(`"v1"`), testserver.LastModified(fixed))

	resp, _ := get(t, c, s.URL("/none"))
	if _, ok := resp.Header["Etag"]; ok {
		t.Errorf("NoETag sent ETag %q", resp.Header.Get("ETag"))
	}
	if _, ok := resp.Header["Last-Modified"]; ok {
		t.Errorf("NoLastModified sent %q", resp.Header.Get("Last-Modified"))
	}
	// Without a Last-Modified no date can match.
	resp, _ = get(t, c, s.URL("/none"), "Range", "bytes=0-0", "If-Range", fixed.Format(http.TimeFormat))
	wantStatus(t, resp, 200)

	resp, _ = get(t, c, s.URL("/weak"))
	weak := resp.Header.Get("ETag")
	if !strings.HasPrefix(weak, `W/"`) {
		t.Fatalf("WeakETag sent %q", weak)
	}
	resp, _ = get(t, c, s.URL("/weak"), "Range", "bytes=0-0", "If-Range", weak)
	wantStatus(t, resp, 200) // weak validators never satisfy If-Range

	resp, _ = get(t, c, s.URL("/fixed"))
	if got := resp.Header.Get("ETag"); got != `"v1"` {
		t.Errorf("ETag = %q", got)
	}
	if got := resp.Header.Get("Last-Modified"); got != fixed.Format(http.TimeFormat) {
		t.Errorf("Last-Modified = %q", got)
	}
	resp, _ = get(t, c, s.URL("/fixed"), "Range", "bytes=0-0", "If-Range", `"v1"`)
	wantStatus(t, resp, 206)
}

func TestSetReplacesContent(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", []byte("old content"), testserver.IgnoreRange())
	r1, _ := get(t, c, s.URL("/f"))

	s.Set("/f", []byte("new content!"))
	r2, body := get(t, c, s.URL("/f"), "Range", "bytes=0-2")
	wantStatus(t, r2, 200) // IgnoreRange is kept
	if string(body) != "new content!" {
		t.Fatalf("body %q", body)
	}
	if r1.Header.Get("ETag") == r2.Header.Get("ETag") {
		t.Error("ETag did not change")
	}
	t1, _ := http.ParseTime(r1.Header.Get("Last-Modified"))
	t2, _ := http.ParseTime(r2.Header.Get("Last-Modified"))
	if !t2.After(t1) {
		t.Errorf("Last-Modified went from %v to %v", t1, t2)
	}
	if st := s.Stats("/f"); st.Requests != 2 {
		t.Errorf("Set lost the counters: %+v", st)
	}

	// Set with options layers them on top; Add starts over.
	s.Set("/f", []byte("third"), testserver.ContentType("text/x-test"))
	r3, _ := get(t, c, s.URL("/f"), "Range", "bytes=0-0")
	wantStatus(t, r3, 200)
	if r3.Header.Get("Content-Type") != "text/x-test" {
		t.Errorf("Content-Type %q", r3.Header.Get("Content-Type"))
	}
	s.Add("/f", []byte("fresh"))
	if st := s.Stats("/f"); st.Requests != 0 {
		t.Errorf("Add kept the counters: %+v", st)
	}
	r4, _ := get(t, c, s.URL("/f"), "Range", "bytes=0-0")
	wantStatus(t, r4, 206)
}

func TestChangeAfter(t *testing.T) {
	s := start(t)
	c := client(t)
	v1, v2 := testserver.Content(1000, 5), testserver.Content(1200, 6)
	s.Add("/f", v1, testserver.ChangeAfter(2, v2))

	r1, b1 := get(t, c, s.URL("/f"))
	r2, b2 := get(t, c, s.URL("/f"), "Range", "bytes=0-9")
	if !bytes.Equal(b1, v1) || !bytes.Equal(b2, v1[:10]) {
		t.Fatal("first two requests did not get the old content")
	}
	if r1.Header.Get("ETag") != r2.Header.Get("ETag") {
		t.Fatal("ETag changed before the change")
	}
	// Third request: resuming with the old validator gets the new file whole.
	r3, b3 := get(t, c, s.URL("/f"), "Range", "bytes=10-", "If-Range", r1.Header.Get("ETag"))
	wantStatus(t, r3, 200)
	if !bytes.Equal(b3, v2) {
		t.Fatal("third request did not get the new content")
	}
	if r3.Header.Get("ETag") == r1.Header.Get("ETag") {
		t.Error("ETag did not change with the content")
	}
	t1, _ := http.ParseTime(r1.Header.Get("Last-Modified"))
	t3, _ := http.ParseTime(r3.Header.Get("Last-Modified"))
	if !t3.After(t1) {
		t.Errorf("Last-Modified went from %v to %v", t1, t3)
	}
	// It stays changed.
	r4, b4 := get(t, c, s.URL("/f"), "If-Range", r3.Header.Get("ETag"), "Range", "bytes=0-0")
	wantStatus(t, r4, 206)
	if !bytes.Equal(b4, v2[:1]) {
		t.Error("fourth request")
	}

	// A new ChangeAfter given to Set fires too (the count goes on: 4 so far).
	v3 := []byte("third version")
	s.Set("/f", v2, testserver.ChangeAfter(5, v3))
	if _, b := get(t, c, s.URL("/f")); !bytes.Equal(b, v2) {
		t.Error("fifth request: changed too early")
	}
	if _, b := get(t, c, s.URL("/f")); !bytes.Equal(b, v3) {
		t.Errorf("sixth request: %q", b)
	}
}

func TestThrottle(t *testing.T) {
	s := start(t)
	c := client(t)
	const rate = 64 << 10
	content := testserver.Content(4<<20, 7)
	s.Add("/slow", content, testserver.Throttle(rate))

	begin := time.Now()
	resp, err := c.Get(s.URL("/slow"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	const want = rate // one second's worth
	buf := make([]byte, want)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(begin)
	if !bytes.Equal(buf, content[:want]) {
		t.Fatal("throttled body differs")
	}
	// The server paces itself, so by now it cannot have written more than
	// rate×elapsed plus one write. (A slow machine only loosens this bound.)
	chunk := int64(rate / 50)
	if limit := int64(float64(rate)*elapsed.Seconds()) + chunk; s.Stats("/slow").BytesSent > limit {
		t.Fatalf("sent %d bytes in %v; throttled to %d B/s allows %d", s.Stats("/slow").BytesSent, elapsed, rate, limit)
	}
	// Hanging up stops the handler (the rest would take a minute).
	resp.Body.Close()
	waitFor(t, "the throttled handler to stop", func() bool { return s.Stats("/slow").InFlight == 0 })
	if sent := s.Stats("/slow").BytesSent; sent >= int64(len(content)) {
		t.Fatalf("the whole body went out (%d bytes) after the client left", sent)
	}
}

func TestThrottleDeliversEverything(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(3000, 8)
	s.Add("/f", content, testserver.Throttle(100_000))
	_, body := get(t, c, s.URL("/f"), "Range", "bytes=1000-")
	if !bytes.Equal(body, content[1000:]) {
		t.Fatal("throttled range differs")
	}
}

func TestResetAfter(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(200_000, 9)
	const n = 70_000
	s.Add("/f", content, testserver.ResetAfter(n, 1))

	// HEAD carries no body, so it does not use up the count.
	if resp, _, err := do(t, c, http.MethodHead, s.URL("/f")); err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v", err)
	}
	resp, body, err := do(t, c, http.MethodGet, s.URL("/f"))
	wantStatus(t, resp, 200)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("first GET: error %v, want unexpected EOF", err)
	}
	if len(body) != n || !bytes.Equal(body, content[:n]) {
		t.Fatalf("first GET got %d bytes, want the first %d", len(body), n)
	}
	// Resume: the second body response is whole.
	resp, body = get(t, c, s.URL("/f"), "Range", fmt.Sprintf("bytes=%d-", n))
	wantStatus(t, resp, 206)
	if !bytes.Equal(body, content[n:]) {
		t.Fatal("resumed body differs")
	}
	if st := settled(t, s, "/f"); st.Resets != 1 {
		t.Fatalf("Resets = %d", st.Resets)
	}
}

func TestResetAfterAlwaysAndShortBodies(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(1000, 10)
	s.Add("/f", content, testserver.ResetAfter(100, testserver.Always))
	for i := range 3 {
		_, body, err := do(t, c, http.MethodGet, s.URL("/f"))
		if err == nil || len(body) != 100 {
			t.Fatalf("request %d: %d bytes, err %v", i, len(body), err)
		}
	}
	// A range no longer than n is sent whole.
	_, body := get(t, c, s.URL("/f"), "Range", "bytes=0-99")
	if !bytes.Equal(body, content[:100]) {
		t.Fatal("short range")
	}
	// Cutting at 0 sends headers only.
	s.Add("/z", content, testserver.ResetAfter(0, 1))
	_, body, err := do(t, c, http.MethodGet, s.URL("/z"))
	if err == nil || len(body) != 0 {
		t.Fatalf("reset at 0: %d bytes, err %v", len(body), err)
	}
}

func TestHardReset(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(300_000, 11)
	s.Add("/f", content, testserver.ResetAfter(1000, 1), testserver.HardReset())
	_, body, err := do(t, c, http.MethodGet, s.URL("/f"))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("error %v, want a connection reset", err)
	}
	if len(body) > 1000 || !bytes.Equal(body, content[:len(body)]) {
		t.Fatalf("got %d bytes before the reset", len(body))
	}
	if settled(t, s, "/f").Resets != 1 {
		t.Fatal("reset not counted")
	}
}

func TestIgnoreRange(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(500, 12)
	s.Add("/f", content, testserver.IgnoreRange())
	resp, body := get(t, c, s.URL("/f"), "Range", "bytes=100-")
	wantStatus(t, resp, 200)
	if !bytes.Equal(body, content) {
		t.Fatal("not the whole body")
	}
	if _, ok := resp.Header["Accept-Ranges"]; ok {
		t.Error("Accept-Ranges sent")
	}
	if resp.Header.Get("Content-Range") != "" {
		t.Error("Content-Range sent")
	}
}

func TestLieLengthLonger(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(1000, 13)
	s.Add("/f", content, testserver.LieLength(+50))
	resp, body, err := do(t, c, http.MethodGet, s.URL("/f"))
	if resp.ContentLength != 1050 {
		t.Fatalf("Content-Length %d, want 1050", resp.ContentLength)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(body, content) {
		t.Fatalf("got %d bytes, err %v; want the true 1000 bytes then unexpected EOF", len(body), err)
	}
}

func TestShiftRangeAnswersAnotherRangeTruthfully(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(1000, 15)
	s.Add("/f", content, testserver.ShiftRange(-500))
	req, _ := http.NewRequest(http.MethodGet, s.URL("/f"), nil)
	req.Header.Set("Range", "bytes=500-599")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != "bytes 0-99/1000" || !bytes.Equal(body, content[:100]) {
		t.Fatalf("%d %q, %d bytes; want 206 bytes 0-99/1000 with the first 100 bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
	}
}

// rawGET sends a minimal GET on a fresh connection and returns everything
// the server sent until it closed the connection.
func rawGET(t *testing.T, addr, path string) []byte {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	all, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestLieLengthShorter(t *testing.T) {
	s := start(t)
	content := testserver.Content(1000, 14)
	s.Add("/f", content, testserver.LieLength(-100))

	all := rawGET(t, s.Addr(), "/f")
	head, body, ok := bytes.Cut(all, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("no header end in %q", all)
	}
	if !bytes.Contains(head, []byte("\r\nContent-Length: 900\r\n")) || !bytes.HasPrefix(head, []byte("HTTP/1.1 200 OK\r\n")) {
		t.Fatalf("headers:\n%s", head)
	}
	if !bytes.Equal(body, content) {
		t.Fatalf("raw body is %d bytes, want the true 1000", len(body))
	}

	// An ordinary client believes the header.
	_, got := get(t, client(t), s.URL("/f"))
	if !bytes.Equal(got, content[:900]) {
		t.Fatalf("client read %d bytes", len(got))
	}
}

func TestStatus(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", []byte("ok"), testserver.Status(503, 2, "7"))
	for i := range 2 {
		resp, body := get(t, c, s.URL("/f"))
		wantStatus(t, resp, 503)
		if resp.Header.Get("Retry-After") != "7" || !strings.Contains(string(body), "503") {
			t.Fatalf("answer %d: Retry-After %q, body %q", i, resp.Header.Get("Retry-After"), body)
		}
	}
	resp, body := get(t, c, s.URL("/f"))
	wantStatus(t, resp, 200)
	if string(body) != "ok" {
		t.Fatalf("body %q", body)
	}

	s.Add("/always", []byte("x"), testserver.Status(429, testserver.Always, ""))
	for range 3 {
		resp, _ := get(t, c, s.URL("/always"))
		wantStatus(t, resp, 429)
		if _, ok := resp.Header["Retry-After"]; ok {
			t.Fatal("Retry-After sent though empty")
		}
	}
	if st := settled(t, s, "/always"); st.BytesSent != 0 {
		t.Fatalf("error pages counted as sent: %+v", st)
	}
}

func TestChunked(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(100, 15)
	s.Add("/f", content, testserver.Chunked())
	resp, body := get(t, c, s.URL("/f"), "Range", "bytes=10-")
	wantStatus(t, resp, 200)
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("length %d, transfer encoding %v", resp.ContentLength, resp.TransferEncoding)
	}
	if !bytes.Equal(body, content) {
		t.Fatal("chunked body differs")
	}
	if _, ok := resp.Header["Accept-Ranges"]; ok {
		t.Error("Accept-Ranges sent")
	}
}

func TestCloseDelimited(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(100, 16)
	s.Add("/f", content, testserver.CloseDelimited())
	resp, body := get(t, c, s.URL("/f"))
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 0 || !resp.Close {
		t.Fatalf("length %d, transfer encoding %v, close %v", resp.ContentLength, resp.TransferEncoding, resp.Close)
	}
	if !bytes.Equal(body, content) {
		t.Fatal("body differs")
	}
}

func TestSlowHeaders(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/short", []byte("x"), testserver.SlowHeaders(50*time.Millisecond))
	begin := time.Now()
	_, body := get(t, c, s.URL("/short"))
	if string(body) != "x" {
		t.Fatalf("body %q", body)
	}
	if d := time.Since(begin); d < 50*time.Millisecond { // sleeping is never shorter
		t.Fatalf("answered after %v", d)
	}

	// A very slow answer is abandoned when the client gives up.
	s.Add("/hour", []byte("x"), testserver.SlowHeaders(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL("/hour"), nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return s.Stats("/hour").InFlight == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("got an answer from a server waiting an hour")
	}
	waitFor(t, "the handler to stop", func() bool { return s.Stats("/hour").InFlight == 0 })
}

func TestStall(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(100_000, 17)
	const at = 30_000
	s.Add("/f", content, testserver.Stall(at, time.Hour, 1))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL("/f"), nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, at)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || !bytes.Equal(buf, content[:at]) {
		t.Fatalf("reading up to the stall: %v", err)
	}
	// The server is now holding the connection open without sending. (Its
	// count is updated just after each write returns, so wait for it.)
	waitFor(t, "the count to catch up", func() bool { return s.Stats("/f").BytesSent >= at })
	if st := s.Stats("/f"); st.BytesSent != at || st.InFlight != 1 {
		t.Fatalf("during the stall: %+v", st)
	}
	cancel()
	resp.Body.Close()
	waitFor(t, "the stalled handler to stop", func() bool { return s.Stats("/f").InFlight == 0 })

	// Only the first body response stalls.
	_, body := get(t, c, s.URL("/f"))
	if !bytes.Equal(body, content) {
		t.Fatal("second body differs")
	}
}

func TestShortStallCompletes(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(10_000, 18)
	s.Add("/f", content, testserver.Stall(0, 30*time.Millisecond, testserver.Always))
	begin := time.Now()
	_, body := get(t, c, s.URL("/f"), "Range", "bytes=5000-")
	if !bytes.Equal(body, content[5000:]) {
		t.Fatal("body differs")
	}
	if d := time.Since(begin); d < 30*time.Millisecond {
		t.Fatalf("finished after %v despite a 30ms stall", d)
	}
}

func TestMaxConcurrent(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", testserver.Content(1000, 19), testserver.Stall(0, time.Hour, testserver.Always))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for range 3 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL("/f"), nil)
		resp, err := c.Do(req) // returns once headers arrive; the body is stalled
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	if st := s.Stats("/f"); st.InFlight != 3 || st.MaxConcurrent != 3 {
		t.Fatalf("with three stalled requests: %+v", st)
	}
	cancel()
	wg.Wait()
	waitFor(t, "handlers to stop", func() bool { return s.Stats("/f").InFlight == 0 })
	if st := s.Stats("/f"); st.MaxConcurrent != 3 {
		t.Fatalf("peak forgotten: %+v", st)
	}
}

func TestRawHeaders(t *testing.T) {
	s := start(t)
	c := client(t)
	cd := `attachment; filename="../../etc/passwd"; filename*=UTF-8''%E2%82%AC%20rates.txt`
	s.Add("/f", []byte("x"),
		testserver.ContentDisposition(cd),
		testserver.ContentType("image/png; evil=\"1\""),
		testserver.Header("X-One", "1"),
		testserver.Header("X-One", "2"))
	resp, _ := get(t, c, s.URL("/f"))
	if got := resp.Header.Get("Content-Disposition"); got != cd {
		t.Errorf("Content-Disposition = %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != `image/png; evil="1"` {
		t.Errorf("Content-Type = %q", got)
	}
	if got := resp.Header.Values("X-One"); len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Errorf("X-One = %q", got)
	}

	s.Add("/untyped", []byte("<html>sniff me</html>"), testserver.ContentType(""))
	resp, _ = get(t, c, s.URL("/untyped"))
	if v, ok := resp.Header["Content-Type"]; ok {
		t.Errorf("Content-Type sent: %q", v)
	}
}

func TestContentEncodingNotApplied(t *testing.T) {
	s := start(t)
	c := client(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("hello hello hello"))
	_ = zw.Close()
	s.Add("/f.tar.gz", gz.Bytes(), testserver.Header("Content-Encoding", "gzip"))
	resp, body := get(t, c, s.URL("/f.tar.gz"), "Accept-Encoding", "identity")
	if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(body, gz.Bytes()) {
		t.Fatalf("Content-Encoding %q; body %d bytes, want the %d stored bytes", resp.Header.Get("Content-Encoding"), len(body), gz.Len())
	}
	if got := s.Requests("/f.tar.gz")[0].Header.Get("Accept-Encoding"); got != "identity" {
		t.Fatalf("recorded Accept-Encoding %q", got)
	}
}

func TestDigest(t *testing.T) {
	s := start(t)
	c := client(t)
	content := testserver.Content(3000, 20)
	sum := sha256.Sum256(content)
	want := "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
	s.Add("/right", content, testserver.Digest())
	s.Add("/wrong", content, testserver.WrongDigest())

	// The digest is of the whole representation, also on a range.
	resp, _ := get(t, c, s.URL("/right"), "Range", "bytes=0-9")
	if got := resp.Header.Get("Repr-Digest"); got != want {
		t.Errorf("Repr-Digest = %q, want %q", got, want)
	}
	resp, _ = get(t, c, s.URL("/wrong"))
	got := resp.Header.Get("Repr-Digest")
	if got == want || !strings.HasPrefix(got, "sha-256=:") || !strings.HasSuffix(got, ":") {
		t.Errorf("wrong Repr-Digest = %q", got)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(got, "sha-256=:"), ":"))
	if err != nil || len(raw) != sha256.Size {
		t.Errorf("wrong digest is not well formed: %v", err)
	}
}

func TestRequireAuth(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", []byte("secret"), testserver.RequireAuth("ann", "pw"))
	resp, _ := get(t, c, s.URL("/f"))
	wantStatus(t, resp, 401)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate = %q", resp.Header.Get("WWW-Authenticate"))
	}
	u, _ := url.Parse(s.URL("/f"))
	u.User = url.UserPassword("ann", "wrong")
	resp, _ = get(t, c, u.String())
	wantStatus(t, resp, 401)
	u.User = url.UserPassword("ann", "pw")
	resp, body := get(t, c, u.String())
	wantStatus(t, resp, 200)
	if string(body) != "secret" {
		t.Fatalf("body %q", body)
	}
	settled(t, s, "/f")
	reqs := s.Requests("/f")
	if len(reqs) != 3 || reqs[0].Header.Get("Authorization") != "" || !strings.HasPrefix(reqs[2].Header.Get("Authorization"), "Basic ") {
		t.Fatalf("recorded Authorization headers wrong: %d requests", len(reqs))
	}
	if reqs[0].Status != 401 || reqs[2].Status != 200 {
		t.Fatalf("recorded statuses %d, %d", reqs[0].Status, reqs[2].Status)
	}
}

func TestRedirects(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/file", []byte("target"))
	s.Add("/rel", nil, testserver.Redirect(302, "/file"))
	s.Add("/abs", nil, testserver.Redirect(301, s.URL("/rel")))
	s.Add("/evil", nil, testserver.Redirect(307, "file:///etc/passwd"))
	s.Add("/loop1", nil, testserver.Redirect(302, "/loop2"))
	s.Add("/loop2", nil, testserver.Redirect(302, "loop1"))

	resp, _ := get(t, c, s.URL("/evil"))
	wantStatus(t, resp, 307)
	if got := resp.Header.Get("Location"); got != "file:///etc/passwd" {
		t.Fatalf("Location = %q", got)
	}
	resp, _ = get(t, c, s.URL("/rel"))
	wantStatus(t, resp, 302)
	if got := resp.Header.Get("Location"); got != "/file" {
		t.Fatalf("relative Location rewritten to %q", got)
	}

	// A following client walks the chain.
	follow := &http.Client{Transport: c.Transport}
	resp, body := get(t, follow, s.URL("/abs"))
	if string(body) != "target" || resp.Request.URL.Path != "/file" {
		t.Fatalf("chain ended at %s with %q", resp.Request.URL, body)
	}
	if _, err := follow.Get(s.URL("/loop1")); err == nil {
		t.Fatal("a redirect loop ended")
	}
	if n := s.Stats("/loop2").Requests; n < 2 {
		t.Fatalf("loop visited /loop2 %d times", n)
	}
}

func TestRequestsRecorded(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", testserver.Content(100, 21))
	get(t, c, s.URL("/f?x=1"), "Range", "bytes=5-", "If-Range", `"abc"`, "Accept-Encoding", "identity", "X-Test", "yes")
	settled(t, s, "/f")
	reqs := s.Requests("/f")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "GET" || r.Path != "/f" || r.RawQuery != "x=1" || r.Range != "bytes=5-" || r.IfRange != `"abc"` ||
		r.Header.Get("X-Test") != "yes" || r.Header.Get("Accept-Encoding") != "identity" || r.Proto != "HTTP/1.1" || r.Status != 200 {
		t.Fatalf("recorded %+v", r)
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || host != "127.0.0.1" {
		t.Fatalf("RemoteAddr %q", r.RemoteAddr)
	}
	// The returned records are copies.
	reqs[0].Header.Set("X-Test", "changed")
	if s.Requests("/f")[0].Header.Get("X-Test") != "yes" {
		t.Fatal("Requests exposes internal state")
	}
	if s.Requests("/never") != nil {
		t.Fatal("records for a path never requested")
	}
}

func TestCloseClientConnections(t *testing.T) {
	s := start(t)
	c := client(t)
	s.Add("/f", testserver.Content(1000, 22), testserver.Stall(10, time.Hour, 1))
	resp, err := c.Get(s.URL("/f"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	s.CloseClientConnections()
	body, err := io.ReadAll(resp.Body)
	if err == nil || len(body) != 10 {
		t.Fatalf("after CloseClientConnections: %d bytes, err %v", len(body), err)
	}
}

func TestCloseEndsSlowHandlers(t *testing.T) {
	s := testserver.New()
	c := client(t)
	s.Add("/f", testserver.Content(1<<20, 23), testserver.Throttle(1000))
	resp, err := c.Get(s.URL("/f"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	s.Close() // would take 17 minutes if it waited for the body
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("body completed after Close")
	}
	s.Close() // again: harmless
}

func TestTLS(t *testing.T) {
	s := testserver.NewTLS()
	t.Cleanup(s.Close)
	content := testserver.Content(50_000, 24)
	s.Add("/f", content, testserver.ResetAfter(20_000, 1))
	if !strings.HasPrefix(s.URL("/f"), "https://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL("/f"))
	}

	// Untrusted by default.
	if _, err := client(t).Get(s.URL("/f")); err == nil {
		t.Fatal("a client without the CA trusted the server")
	}
	if s.Stats("/f").Requests != 0 {
		t.Fatal("request counted though TLS failed")
	}

	// Trusted through the PEM, as a CA bundle file would be loaded.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CertPEM()) {
		t.Fatal("CertPEM is not a PEM certificate")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	_, body, err := do(t, c, http.MethodGet, s.URL("/f"))
	if err == nil || !bytes.Equal(body, content[:20_000]) {
		t.Fatalf("cut TLS body: %d bytes, err %v", len(body), err)
	}
	_, body = get(t, c, s.URL("/f"), "Range", "bytes=20000-")
	if !bytes.Equal(body, content[20_000:]) {
		t.Fatal("resumed TLS body differs")
	}

	// And through CertPool and Client.
	tr2 := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}}
	defer tr2.CloseIdleConnections()
	if _, body := get(t, &http.Client{Transport: tr2}, s.URL("/f")); !bytes.Equal(body, content) {
		t.Fatal("CertPool client")
	}
	if _, body := get(t, s.Client(), s.URL("/f")); !bytes.Equal(body, content) {
		t.Fatal("Client()")
	}

	plain := start(t)
	if plain.CertPool() != nil || plain.CertPEM() != nil {
		t.Fatal("plain server has a certificate")
	}
}

func TestTLSLieLengthShorter(t *testing.T) {
	s := testserver.NewTLS()
	t.Cleanup(s.Close)
	content := testserver.Content(1000, 25)
	s.Add("/f", content, testserver.LieLength(-1))
	conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{RootCAs: s.CertPool()})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /f HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != 999 {
		t.Fatalf("Content-Length %d", resp.ContentLength)
	}
	resp.Body.Close()
}

func TestListen(t *testing.T) {
	s, err := testserver.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Add("/x", []byte("hi"))
	_, body := get(t, client(t), s.URL("/x"))
	if string(body) != "hi" || !strings.HasSuffix(s.URL(""), s.Addr()) {
		t.Fatalf("body %q from %s", body, s.URL(""))
	}
	if _, err := testserver.Listen(s.Addr()); err == nil {
		t.Fatal("second Listen on a used address succeeded")
	}
}

func TestAddPanicsOnBadPath(t *testing.T) {
	s := start(t)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a path without /")
		}
	}()
	s.Add("relative", nil)
}

func TestContentHelpers(t *testing.T) {
	a, b := testserver.Content(1001, 1), testserver.Content(1001, 1)
	if len(a) != 1001 || !bytes.Equal(a, b) || bytes.Equal(a, testserver.Content(1001, 2)) {
		t.Fatal("Content is not deterministic per seed")
	}
	for name, data := range map[string][]byte{"png": testserver.PNG(64, 48, 1), "jpeg": testserver.JPEG(64, 48, 1)} {
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil || format != name || img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
			t.Errorf("%s: format %q, err %v", name, format, err)
		}
	}
}
