package transfer

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCopy is the copy loop alone: a 64 MiB body from memory into a
// .part file in the page cache, one piece, no speed limit. It measures the
// work per byte (reads, claims, writes, progress reports) without the
// network or the disk's flush.
//
//	go test -run '^$' -bench Copy -benchmem ./engine/internal/transfer
func BenchmarkCopy(b *testing.B) {
	const size = 64 << 20
	data := bytes.Repeat([]byte("haul"), size/4)
	dir := b.TempDir()
	u, _ := url.Parse("http://127.0.0.1/x")
	env := &Env{Global: NewLimits(0, 0), Hosts: NewHostSlots(8), MinPiece: 1 << 20}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		j, err := newJob(env, Spec{URL: u, Dir: dir}, &memReporter{names: map[string]bool{}})
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(filepath.Join(dir, "x.part"))
		if err != nil {
			b.Fatal(err)
		}
		j.file, j.ps = f, newPieceSet(split(size, 1))
		s := j.ps.first()
		if err := j.Copy(context.Background(), s, bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
		f.Close()
		j.root.Close()
	}
}
