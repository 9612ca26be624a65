package hls

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/internal/transfer/segmented"
	"github.com/haul-dl/haul/engine/testserver"
)

// BenchmarkReadAheadHeld downloads a stream of large segments whose
// first arrives slowly, over four connections, and reports the most heap
// in use meanwhile (collecting often, so that it is what is held):
// with the read-ahead capped in bytes (the default) and with only its
// segment count. The segments after the slow one are
// fetched ahead either way; the cap bounds how much of them waits.
//
//	go test -run '^$' -bench ReadAheadHeld -benchtime 1x ./engine/internal/transfer/hls
func BenchmarkReadAheadHeld(b *testing.B) {
	const segs, size = 6, 32 << 20
	srv := testserver.New()
	defer srv.Close()
	var pl strings.Builder
	pl.WriteString("#EXTM3U\n#EXT-X-TARGETDURATION:1\n")
	for i := range segs {
		var opts []testserver.Option
		if i == 0 {
			opts = append(opts, testserver.Throttle(64<<20)) // half a second
		}
		srv.Add(fmt.Sprintf("/b/s%d.ts", i), bytes.Repeat([]byte{byte(i)}, size), opts...)
		fmt.Fprintf(&pl, "#EXTINF:1,\ns%d.ts\n", i)
	}
	pl.WriteString("#EXT-X-ENDLIST\n")
	srv.Add("/b/index.m3u8", []byte(pl.String()))
	u, _ := url.Parse(srv.URL("/b/index.m3u8"))
	// Collect often, so that the heap in use is what is held, not the
	// segments already written and dropped.
	defer debug.SetGCPercent(debug.SetGCPercent(2))
	for _, c := range []struct {
		name string
		lim  segmented.ReadAhead
	}{
		{"capped", segmented.ReadAhead{}},
		{"segments only", segmented.ReadAhead{Bytes: 1 << 40}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var peak atomic.Uint64
			for range b.N {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() { // samples the heap while the stream downloads
					defer close(done)
					t := time.NewTicker(5 * time.Millisecond)
					defer t.Stop()
					for {
						var m runtime.MemStats
						runtime.ReadMemStats(&m)
						if m.HeapInuse > base.HeapInuse && m.HeapInuse-base.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse - base.HeapInuse)
						}
						select {
						case <-stop:
							return
						case <-t.C:
						}
					}
				}()
				env := &transfer.Env{
					Client: func() *http.Client { return srv.Client() }, Hosts: transfer.NewHostSlots(8), Global: transfer.NewLimits(4, 0),
					MinPiece: 1 << 20, Retries: 1, RetryBase: time.Millisecond, RetryMax: time.Millisecond, Stall: time.Minute, Checkpoint: time.Hour,
				}
				p := &segmented.Protocol{Source: &source{}, ReadAhead: c.lim}
				_, err := transfer.Run(context.Background(), env, transfer.Spec{URL: u, Dir: b.TempDir()}, p, &names{taken: map[string]bool{}})
				close(stop)
				<-done
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}
