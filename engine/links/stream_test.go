package links

import (
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// genReader generates n lines, line(i) each, without holding them: line
// longAt is instead longLen bytes of 'x' when longLen > 0.
type genReader struct {
	n       int
	line    func(i int) string
	longAt  int
	longLen int64

	i        int
	cur      string // rest of the current line, "\n" included
	longLeft int64  // 'x' bytes still to give for the long line
	xs       []byte
}

func (g *genReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		switch {
		case g.longLeft > 0:
			if g.xs == nil {
				g.xs = []byte(strings.Repeat("x", 32<<10))
			}
			k := copy(p[:min(int64(len(p)), g.longLeft)], g.xs)
			g.longLeft -= int64(k)
			p, total = p[k:], total+k
		case g.cur != "":
			k := copy(p, g.cur)
			g.cur = g.cur[k:]
			p, total = p[k:], total+k
		case g.i >= g.n:
			if total == 0 {
				return 0, io.EOF
			}
			return total, nil
		default:
			if g.longLen > 0 && g.i == g.longAt {
				g.longLeft = g.longLen
				g.cur = "\n"
			} else {
				g.cur = g.line(g.i) + "\n"
			}
			g.i++
		}
	}
	return total, nil
}

// TestScanStreamsMillionLines scans a generated million lines holding a
// 64 MiB line in the middle, and checks the counts and that the heap never
// grows by anything near the size of that line.
func TestScanStreamsMillionLines(t *testing.T) {
	if testing.Short() {
		t.Skip("long input")
	}
	const (
		n       = 1_000_000
		unique  = 50_000
		longLen = 64 << 20
		bound   = 32 << 20 // far above the few MiB Scan needs, far below longLen
	)
	gen := &genReader{n: n, longAt: n / 2, longLen: longLen, line: func(i int) string {
		if i%10 == 0 {
			return "# comment"
		}
		return "https://x.example/files/" + strconv.Itoa(i%unique) + ".bin"
	}}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	sum, err := Scan(context.Background(), gen, Options{Progress: func(int64, int) {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}}, func(Link) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	// 900 000 URL lines (every tenth is a comment, the long line replaces
	// one), holding 45 000 distinct URLs.
	if sum.Lines != n || sum.Links != 45_000 || sum.Duplicates != 855_000 {
		t.Errorf("summary: %d lines, %d links, %d duplicates", sum.Lines, sum.Links, sum.Duplicates)
	}
	if sum.RejectedCount != 1 || sum.Rejected[0].Line != n/2+1 {
		t.Errorf("rejected: %+v", sum.Rejected)
	}
	if sum.Bytes < longLen {
		t.Errorf("read %d bytes", sum.Bytes)
	}
	if peak-base > bound {
		t.Errorf("heap grew by %d MiB while scanning", (peak-base)>>20)
	}
}

// BenchmarkScan scans a list of 100 000 links.
func BenchmarkScan(b *testing.B) {
	var sb strings.Builder
	for i := range 100_000 {
		sb.WriteString("https://files.example.com/releases/v" + strconv.Itoa(i) + "/archive.tar.gz\n")
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		sum, err := Scan(context.Background(), strings.NewReader(in), Options{}, func(Link) error { return nil })
		if err != nil || sum.Links != 100_000 {
			b.Fatalf("%+v %v", sum, err)
		}
	}
}
