package store

import (
	"fmt"
	"testing"
)

// BenchmarkPut is one batch of 16 changed records written in one
// transaction: what the engine's saver does when 16 downloads change at
// once (the cost is the commit's flushes, not the bytes).
//
//	go test -run '^$' -bench Put -benchmem ./engine/store
func BenchmarkPut(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rec := []byte(`{"url":"https://example.org/some/file.bin","dir":"/home/me/Downloads","name":"file.bin","state":1}`)
	b.ReportAllocs()
	for i := range b.N {
		batch := make(map[string][]byte, 16)
		for k := range 16 {
			batch[fmt.Sprintf("d%08d", (i*16+k)%10000)] = rec
		}
		if err := s.Put(batch); err != nil {
			b.Fatal(err)
		}
	}
}
