package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// The hot paths of issue 11, end to end through the Manager, from a
// loopback server in the same process. Profile them with
//
//	go test -run '^$' -bench 'BigFile|SmallFiles' -benchtime 3x -cpuprofile cpu.out ./engine
//	go tool pprof -top cpu.out
//
// BenchmarkBigFile downloads one 128 MiB unthrottled file with one
// connection and with the default (8): more connections must not make it
// slower than one.
func BenchmarkBigFile(b *testing.B) {
	data := randomBytes(128 << 20)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/big.bin", data)
	for _, conns := range []int{1, DefaultConnections} {
		b.Run(fmt.Sprintf("x%d", conns), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				benchDownload(b, Options{Connections: conns}, []string{srv.URL("/big.bin")})
			}
		})
	}
}

// BenchmarkSmallFiles downloads 500 files of 64 KiB, 16 at once: the
// fixed cost per file (fsyncs, store commits, publishing, connections).
func BenchmarkSmallFiles(b *testing.B) {
	srv := testserver.New()
	defer srv.Close()
	const n = 500
	urls := serveFiles(srv, n, randomBytes(64<<10))
	b.ReportAllocs()
	start := time.Now()
	for range b.N {
		benchDownload(b, Options{MaxActive: 16, PerHost: 16}, urls)
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "files/s")
}

// serveFiles serves data at n paths of srv and returns their links.
func serveFiles(srv *testserver.Server, n int, data []byte) []string {
	urls := make([]string, n)
	for i := range n {
		p := fmt.Sprintf("/f%04d.bin", i)
		srv.Add(p, data)
		urls[i] = srv.URL(p)
	}
	return urls
}

// benchDownload opens a fresh Manager with opts, adds urls in one batch
// and waits for all of them to complete.
func benchDownload(b *testing.B, opts Options, urls []string) {
	b.Helper()
	base := b.TempDir()
	opts.StateDir, opts.DefaultDir = filepath.Join(base, "s"), filepath.Join(base, "d")
	m, err := Open(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	reqs := make([]Request, len(urls))
	for i, u := range urls {
		reqs[i] = Request{URL: u}
	}
	m.AddAll(reqs)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := m.Wait(ctx); err != nil {
		b.Fatal(err)
	}
	for _, s := range m.List() {
		if s.State != Completed {
			b.Fatalf("%s: state %v: %s", s.URL, s.State, s.Err)
		}
	}
}

// BenchmarkPublish is one publishing tick with 10,000 downloads in the
// list, 16 of which changed: what every front end waits on.
//
//	go test -run '^$' -bench Publish -benchmem ./engine
func BenchmarkPublish(b *testing.B) {
	base := b.TempDir()
	m, err := Open(context.Background(), Options{
		StateDir: filepath.Join(base, "s"), DefaultDir: filepath.Join(base, "d"), MaxActive: 1, HoldRestored: true,
		PublishInterval: time.Hour,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	m.SetMaxActive(1)
	reqs := make([]Request, 10000)
	for i := range reqs {
		reqs[i] = Request{URL: fmt.Sprintf("http://127.0.0.1:1/f%d.bin", i)}
	}
	m.AddAll(reqs)
	sub := m.Subscribe()
	defer sub.Close()
	go func() {
		for range sub.C() {
		}
	}()
	m.mu.Lock()
	ds := m.order[len(m.order)-16:]
	m.mu.Unlock()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.mu.Lock()
		for _, d := range ds {
			m.markLocked(d)
		}
		m.mu.Unlock()
		m.publish()
	}
}
