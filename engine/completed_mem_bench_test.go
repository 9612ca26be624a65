package engine

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// BenchmarkCompletedInMemory reports the heap each completed download
// keeps while the Manager stays open (a long `haul get -i` run keeps
// thousands): bytes/completed, after a garbage collection.
//
//	go test -run '^$' -bench CompletedInMemory -benchtime 1x -memprofile mem.out ./engine
func BenchmarkCompletedInMemory(b *testing.B) {
	srv := testserver.New()
	defer srv.Close()
	const n = 2000
	reqs := make([]Request, n)
	for i, u := range serveFiles(srv, n, randomBytes(1<<10)) {
		reqs[i] = Request{URL: u}
	}
	var perDownload float64
	for range b.N {
		base := b.TempDir()
		m, err := Open(context.Background(), Options{MaxActive: 16, PerHost: 16,
			StateDir: filepath.Join(base, "s"), DefaultDir: filepath.Join(base, "d")})
		if err != nil {
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m.AddAll(reqs)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		err = m.Wait(ctx)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the last store commit and publish
		runtime.GC()
		runtime.ReadMemStats(&after)
		perDownload += float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(m)
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(perDownload/float64(b.N), "bytes/completed")
}
