package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
)

// stuckTransport answers no request: each waits until it is canceled, so
// downloads stay unfinished without any server.
type stuckTransport struct{}

func (stuckTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// BenchmarkOpenWithQueued opens a state store holding 10,000 unfinished
// downloads, as `haul get` and the window do at start, and reports the
// time to open it and the heap each download keeps (targets: under 1 s
// and under 2 KB).
//
//	go test -run '^$' -bench OpenWithQueued -benchtime 3x ./engine
func BenchmarkOpenWithQueued(b *testing.B) {
	const n = 10000
	state, dir := b.TempDir(), b.TempDir()
	opt := engine.Options{StateDir: state, DefaultDir: dir, Transport: stuckTransport{}, HoldRestored: true, MaxActive: 1}
	m, err := engine.Open(context.Background(), opt)
	if err != nil {
		b.Fatal(err)
	}
	reqs := make([]engine.Request, n)
	for i := range reqs {
		reqs[i] = engine.Request{URL: fmt.Sprintf("https://files.example.org/set/%05d/photo-%05d.jpg", i/100, i)}
	}
	m.AddAll(reqs)
	if err := m.Close(); err != nil {
		b.Fatal(err)
	}

	var opened time.Duration
	var perDownload float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		m, err := engine.Open(context.Background(), opt)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(m.List()); got != n {
			b.Fatalf("reopened with %d downloads, want %d", got, n)
		}
		opened += time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		perDownload += float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(m)
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opened.Milliseconds())/float64(b.N), "ms/open")
	b.ReportMetric(perDownload/float64(b.N), "B/download")
}
