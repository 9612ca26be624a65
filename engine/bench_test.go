package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// BenchmarkConnections downloads a file from a loopback server that
// throttles every connection to 1 MiB/s, with 1, 4 and 8 connections.
// With N connections the time should be close to 1/N of one connection's:
// compare the ns/op (or MB/s) of the sub-benchmarks.
//
//	go test -run '^$' -bench Connections -benchtime 3x ./engine
func BenchmarkConnections(b *testing.B) {
	const perConn = 1 << 20
	data := randomBytes(8 << 20)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/big.bin", data, testserver.Throttle(perConn))
	for _, conns := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("x%d", conns), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				base := b.TempDir()
				m, err := Open(context.Background(), Options{
					StateDir: filepath.Join(base, "s"), DefaultDir: filepath.Join(base, "d"),
					Connections: conns, PerHost: 16, MinPiece: 256 << 10,
				})
				if err != nil {
					b.Fatal(err)
				}
				id, err := m.Add(Request{URL: srv.URL("/big.bin")})
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				if err := m.Wait(ctx, id); err != nil {
					b.Fatal(err)
				}
				cancel()
				if s, _ := m.Get(id); s.State != Completed {
					b.Fatalf("state %v: %s", s.State, s.Err)
				}
				m.Close()
			}
		})
	}
}

// BenchmarkManyFiles downloads 200 small files (the everyday case of a
// page of images) from loopback, 4 at a time.
func BenchmarkManyFiles(b *testing.B) {
	srv := testserver.New()
	defer srv.Close()
	const n = 200
	data := randomBytes(64 << 10)
	for i := range n {
		srv.Add(fmt.Sprintf("/img%03d.jpg", i), data)
	}
	b.SetBytes(n * int64(len(data)))
	for range b.N {
		base := b.TempDir()
		m, err := Open(context.Background(), Options{StateDir: filepath.Join(base, "s"), DefaultDir: filepath.Join(base, "d")})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if _, err := m.Add(Request{URL: srv.URL(fmt.Sprintf("/img%03d.jpg", i))}); err != nil {
				b.Fatal(err)
			}
		}
		if err := m.Wait(context.Background()); err != nil {
			b.Fatal(err)
		}
		m.Close()
	}
}

// BenchmarkAddAllInChunks adds 20,000 links in chunks of 500, the way the
// front ends feed a large link file: the cost per chunk should stay flat
// as the list grows (one scheduler run per chunk, no disk I/O under the
// lock).
//
//	go test -run '^$' -bench AddAll -benchtime 1x ./engine
func BenchmarkAddAllInChunks(b *testing.B) {
	for range b.N {
		base := b.TempDir()
		m, err := Open(context.Background(), Options{
			StateDir: filepath.Join(base, "state"), DefaultDir: filepath.Join(base, "dl"), MaxActive: 1, HoldRestored: true,
		})
		if err != nil {
			b.Fatal(err)
		}
		m.SetMaxActive(1)
		var first, last time.Duration
		for c := range 40 {
			reqs := make([]Request, 500)
			for i := range reqs {
				reqs[i] = Request{URL: fmt.Sprintf("http://127.0.0.1:1/c%d/f%d.bin", c, i)}
			}
			start := time.Now()
			m.AddAll(reqs)
			d := time.Since(start)
			if c == 0 {
				first = d
			}
			last = d
		}
		b.ReportMetric(float64(first.Microseconds()), "µs/first-chunk")
		b.ReportMetric(float64(last.Microseconds()), "µs/last-chunk")
		m.Close()
	}
}
