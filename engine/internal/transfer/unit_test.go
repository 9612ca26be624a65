package transfer

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in                string
		start, end, total int64
		bad               bool
	}{
		{in: "bytes 0-99/100", start: 0, end: 99, total: 100},
		{in: "bytes 10-19/*", start: 10, end: 19, total: -1},
		{in: "bytes */100", start: -1, end: -1, total: 100},
		{in: "bytes 5-4/100", bad: true},
		{in: "bytes 0-100/100", bad: true},
		{in: "items 0-1/2", bad: true},
		{in: "bytes 0-1", bad: true},
		{in: "bytes -1-3/9", bad: true},
		{in: "", bad: true},
	}
	for _, tc := range tests {
		s, e, n, err := parseContentRange(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: want error, got %d-%d/%d", tc.in, s, e, n)
			}
			continue
		}
		if err != nil || s != tc.start || e != tc.end || n != tc.total {
			t.Errorf("%q = %d-%d/%d, %v; want %d-%d/%d", tc.in, s, e, n, err, tc.start, tc.end, tc.total)
		}
	}
}

func TestPieceStealingCoversEveryByteOnce(t *testing.T) {
	const total = 10 << 20
	ps := newPieceSet(split(total, 3))
	written := make([]uint8, total) // how often each byte was written
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				p := ps.next(1 << 20)
				if p == nil {
					return
				}
				for {
					off, w := ps.claim(p, 1024)
					if w == 0 {
						break
					}
					mu.Lock()
					for i := off; i < off+w; i++ {
						written[i]++
					}
					mu.Unlock()
					ps.commit(p, w)
				}
				ps.release(p)
			}
		}()
	}
	wg.Wait()
	if !ps.complete() {
		t.Fatal("not complete")
	}
	if got := ps.received(); got != total {
		t.Fatalf("received %d, want %d", got, total)
	}
	for i, n := range written {
		if n != 1 {
			t.Fatalf("byte %d written %d times", i, n)
		}
	}
	if len(ps.pieces) <= 3 {
		t.Fatalf("expected idle workers to steal work, still %d pieces", len(ps.pieces))
	}
}

func TestStealSplitsLargestRemainingPiece(t *testing.T) {
	ps := newPieceSet([]Piece{{Start: 0, Pos: 0, End: 100}, {Start: 100, Pos: 100, End: 1000}})
	a, b := ps.next(10), ps.next(10)
	if a == nil || b == nil {
		t.Fatal("two fresh pieces expected")
	}
	ps.commit(b, 100) // b at 200, 800 left
	c := ps.next(10)
	if c == nil || c.start != 600 || c.end != 1000 || b.end != 600 {
		t.Fatalf("steal = %+v, b.end=%d; want [600,1000) and b ending at 600", c, b.end)
	}
	// A piece too small to split is left alone.
	ps2 := newPieceSet([]Piece{{Start: 0, Pos: 0, End: 15}})
	ps2.next(10)
	if p := ps2.next(10); p != nil {
		t.Fatalf("stole from a piece smaller than 2×minPiece: %+v", p)
	}
}

func TestServerChecksum(t *testing.T) {
	h := http.Header{}
	h.Set("Repr-Digest", "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:, foo=:AA==:")
	h.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
	c, ok := serverChecksum(h, 200)
	if !ok || c.algo != "sha256" || c.String() != "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatalf("got %v %v", c, ok)
	}
	h2 := http.Header{}
	h2.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
	if _, ok := serverChecksum(h2, 206); ok {
		t.Fatal("Content-MD5 of a partial response describes the part, not the file")
	}
	if c, ok := serverChecksum(h2, 200); !ok || c.algo != "md5" {
		t.Fatalf("Content-MD5 on 200: %v %v", c, ok)
	}
	h3 := http.Header{}
	h3.Set("Digest", "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
	if c, ok := serverChecksum(h3, 206); !ok || c.algo != "sha256" {
		t.Fatalf("Digest header: %v %v", c, ok)
	}
	h4 := http.Header{}
	h4.Set("Repr-Digest", "sha-256=:bm90IGEgZGlnZXN0:")
	if _, ok := serverChecksum(h4, 200); ok {
		t.Fatal("a digest of the wrong length must be ignored")
	}
}

func TestParseChecksum(t *testing.T) {
	if _, _, err := ParseChecksum("sha256=" + "ab"); err == nil {
		t.Error("short sha256 accepted")
	}
	if _, _, err := ParseChecksum("crc32=00000000"); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if a, h, err := ParseChecksum("SHA-256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"); err != nil || a != "sha256" || h[:4] != "e3b0" {
		t.Errorf("got %q %q %v", a, h, err)
	}
}

func TestRetryableClassification(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&StatusError{Code: 404}, false},
		{&StatusError{Code: 403}, false},
		{&StatusError{Code: 408}, true},
		{&StatusError{Code: 429}, true},
		{&StatusError{Code: 500}, true},
		{&StatusError{Code: 503}, true},
		{&StatusError{Code: 501}, false},
		{errStalled, true},
		{&IntegrityError{"x"}, false},
		{&RedirectError{"x"}, false},
	}
	for _, tc := range tests {
		if got, _ := Retryable(tc.err); got != tc.want {
			t.Errorf("Retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if _, after := Retryable(&StatusError{Code: 503, RetryAfter: 3 * time.Second}); after != 3*time.Second {
		t.Errorf("Retry-After lost: %v", after)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := parseRetryAfter("7", now); d != 7*time.Second {
		t.Errorf("seconds: %v", d)
	}
	if d := parseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); d != 90*time.Second {
		t.Errorf("date: %v", d)
	}
	if d := parseRetryAfter("99999999", now); d != 10*time.Minute {
		t.Errorf("cap: %v", d)
	}
	if d := parseRetryAfter("soon", now); d != 0 {
		t.Errorf("garbage: %v", d)
	}
}

func TestRedirectPolicy(t *testing.T) {
	mk := func(s string) *http.Request {
		u, _ := url.Parse(s)
		return &http.Request{URL: u, Header: http.Header{}}
	}
	policy := redirectPolicy(false)
	first := mk("https://a.example/x")
	next := mk("https://b.example/y")
	next.Header.Set("Authorization", "Basic eHg6eXk=")
	next.Header.Set("Cookie", "s=1")
	if err := policy(next, []*http.Request{first}); err != nil {
		t.Fatal(err)
	}
	if next.Header.Get("Authorization") != "" || next.Header.Get("Cookie") != "" {
		t.Error("credentials carried to another origin")
	}
	same := mk("https://a.example/z")
	same.Header.Set("Authorization", "Basic eHg6eXk=")
	if err := policy(same, []*http.Request{first}); err != nil || same.Header.Get("Authorization") == "" {
		t.Errorf("same origin keeps credentials: %v", err)
	}
	if err := policy(mk("http://a.example/x"), []*http.Request{first}); err == nil {
		t.Error("https→http downgrade allowed")
	}
	down := mk("http://a.example/x")
	down.Header.Set("Authorization", "Basic eHg6eXk=")
	if err := redirectPolicy(true)(down, []*http.Request{first}); err != nil || down.Header.Get("Authorization") != "" {
		t.Errorf("allowed downgrade must still drop credentials (other origin): %v", err)
	}
	if err := policy(mk("file:///etc/passwd"), []*http.Request{first}); err == nil {
		t.Error("file: redirect followed")
	}
	if err := policy(mk("https://a.example/x"), []*http.Request{first, mk("https://a.example/q")}); err == nil {
		t.Error("loop not detected")
	}
	// via holds the first request and every redirect so far: with ten
	// entries the hop checked is the tenth redirect, allowed; the
	// eleventh is not.
	var via []*http.Request
	for i := range maxRedirects {
		via = append(via, mk(fmt.Sprintf("https://a.example/n%d", i)))
	}
	if err := policy(mk("https://a.example/last"), via); err != nil {
		t.Errorf("the tenth redirect refused: %v", err)
	}
	via = append(via, mk("https://a.example/last"))
	if err := policy(mk("https://a.example/past"), via); err == nil || !strings.Contains(err.Error(), "more than 10") {
		t.Errorf("an eleventh redirect: %v, want it refused as more than 10", err)
	}
	if err := policy(mk("http:///f.bin"), via[:1]); err == nil {
		t.Error("a redirect to a URL with no host followed")
	}
}

func TestFairShareOfHostSlots(t *testing.T) {
	h := NewHostSlots(8)
	for range 3 {
		h.join("a")
	}
	got := map[int]int{}
	for dl := range 3 {
		for have := 0; h.tryAcquire("a", have); have++ {
			got[dl]++
		}
	}
	if got[0] != 3 || got[1] != 3 || got[2] != 2 {
		t.Fatalf("slots per download %v, want 3/3/2 of 8", got)
	}
	h.release("a") // the third download's second connection ends...
	h.leave("a")   // ...and it finishes: two left, a share of 4 each
	if !h.tryAcquire("a", 3) {
		t.Fatal("a download with 3 of its 4 did not get the freed slot")
	}
	if h.tryAcquire("a", 3) {
		t.Fatal("acquired past the host limit")
	}
}

func TestASlotIsReleasedExactlyOnce(t *testing.T) {
	h := NewHostSlots(2)
	a, err := h.take(t.Context(), "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.take(t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	a.release()
	a.release() // a second path releasing the same slot
	if _, err := h.take(t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	if s := h.tryTake("x", 0); s != nil {
		t.Fatal("a third connection to a host limited to two: a slot was released twice")
	}
	var none *Slot
	none.release() // a nil slot is released already
}

func TestRetryableByCause(t *testing.T) {
	get := func(err error) error { return &url.Error{Op: "Get", URL: "http://h/f", Err: err} }
	tests := []struct {
		name string
		err  error
		want bool
		kind Kind
	}{
		{"no such host", get(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}}), false, KindNetwork},
		{"resolver timeout", get(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "timeout", Name: "h", IsTimeout: true}}), true, KindNetwork},
		{"refused", get(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), true, KindNetwork},
		{"reset", get(os.NewSyscallError("read", syscall.ECONNRESET)), true, KindNetwork},
		{"truncated", io.ErrUnexpectedEOF, true, KindNetwork},
		{"malformed header", get(errors.New(`net/http: HTTP/1.x transport connection broken: malformed MIME header line: a`)), false, KindProtocol},
		{"headers too large", get(errors.New("net/http: server response headers exceeded 65536 bytes; aborted")), false, KindProtocol},
		{"certificate", get(x509.UnknownAuthorityError{}), false, KindCertificate},
		{"404", &StatusError{Code: 404}, false, KindHTTP},
	}
	for _, tc := range tests {
		if got, _ := Retryable(tc.err); got != tc.want {
			t.Errorf("%s: retryable %v, want %v", tc.name, got, tc.want)
		}
		if p := ProblemOf(tc.err); p.Kind != tc.kind {
			t.Errorf("%s: kind %v, want %v (%s)", tc.name, p.Kind, tc.kind, p.Message)
		}
	}
}
