package cli

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fileServer serves in-memory files over loopback, with Range support, and
// counts the body bytes it sent for each path.
type fileServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	slow  map[string]time.Duration // pause after each 32 KiB written
	sent  map[string]*atomic.Int64
}

func newFileServer(t *testing.T) *fileServer {
	t.Helper()
	fs := &fileServer{files: map[string][]byte{}, slow: map[string]time.Duration{}, sent: map[string]*atomic.Int64{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fileServer) add(path string, content []byte) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files[path] = content
	fs.sent[path] = new(atomic.Int64)
	return fs.URL + path
}

func (fs *fileServer) setSlow(path string, pause time.Duration) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.slow[path] = pause
}

// bytesSent is how many body bytes path was served so far.
func (fs *fileServer) bytesSent(path string) int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if c := fs.sent[path]; c != nil {
		return c.Load()
	}
	return 0
}

func (fs *fileServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	content, ok := fs.files[r.URL.Path]
	pause := fs.slow[r.URL.Path]
	counter := fs.sent[r.URL.Path]
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	cw := &countingWriter{ResponseWriter: w, n: counter, pause: pause, done: r.Context().Done()}
	http.ServeContent(cw, r, "", time.Time{}, bytes.NewReader(content))
}

// countingWriter counts body bytes and, when pause is set, writes in
// 32 KiB steps with a pause after each.
type countingWriter struct {
	http.ResponseWriter
	n     *atomic.Int64
	pause time.Duration
	done  <-chan struct{}
}

func (c *countingWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p
		if c.pause > 0 && len(chunk) > 32<<10 {
			chunk = chunk[:32<<10]
		}
		n, err := c.ResponseWriter.Write(chunk)
		written += n
		c.n.Add(int64(n))
		if err != nil {
			return written, err
		}
		p = p[n:]
		if c.pause > 0 {
			if f, ok := c.ResponseWriter.(http.Flusher); ok {
				f.Flush()
			}
			select {
			case <-time.After(c.pause):
			case <-c.done:
			}
		}
	}
	return written, nil
}

// pattern returns n pseudo-random bytes, different for each seed, so that
// bytes written at a wrong offset never match by chance.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(seed), 0x4841554c))
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for k := 0; k < 8 && i+k < n; k++ {
			b[i+k] = byte(v >> (8 * k))
		}
	}
	return b
}
