package intake

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/testserver"
)

// BenchmarkAddLinks adds a file of links to a real engine: through
// intake's chunks, and one Add per link as the window used to.
//
//	go test -run '^$' -bench AddLinks -benchtime 1x ./intake
func BenchmarkAddLinks(b *testing.B) {
	for _, n := range []int{5_000, 20_000} {
		srv := testserver.New()
		srv.Add("/held", make([]byte, 1<<20), testserver.Stall(0, time.Hour, testserver.Always))
		var text strings.Builder
		for i := range n {
			fmt.Fprintf(&text, "%s?n=%d\n", srv.URL("/held"), i)
		}
		open := func(b *testing.B) *engine.Manager {
			m, err := engine.Open(context.Background(), engine.Options{StateDir: b.TempDir(), DefaultDir: b.TempDir(), MaxActive: 1})
			if err != nil {
				b.Fatal(err)
			}
			return m
		}
		b.Run(fmt.Sprintf("chunked/%d", n), func(b *testing.B) {
			for range b.N {
				m := open(b)
				if _, err := Reader(context.Background(), m, strings.NewReader(text.String()), Options{}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				m.Close()
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("one-by-one/%d", n), func(b *testing.B) {
			for range b.N {
				m := open(b)
				links.Scan(context.Background(), strings.NewReader(text.String()), links.Options{}, func(l links.Link) error {
					_, err := m.Add(engine.Request{URL: l.URL})
					return err
				})
				b.StopTimer()
				m.Close()
				b.StartTimer()
			}
		})
		srv.Close()
	}
}
