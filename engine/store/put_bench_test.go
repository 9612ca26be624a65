package store

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/uuid"
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

// BenchmarkPutNewKeys stores a stream of new downloads, 16 a commit, on
// top of 2,000 stored ones, with random keys (UUIDv4, the IDs Haul made
// before) and with keys in creation order (UUIDv7, the IDs it makes now):
// random keys scatter each commit over the tree's leaves, ordered ones
// append to the last. It reports the pages each commit writes.
//
//	go test -run '^$' -bench PutNewKeys -benchmem ./engine/store
func BenchmarkPutNewKeys(b *testing.B) {
	for _, kind := range []struct {
		name string
		id   func() string
	}{{"random", func() string { return uuid.New().String() }}, {"ordered", func() string { return uuid.Must(uuid.NewV7()).String() }}} {
		b.Run(kind.name, func(b *testing.B) {
			s, err := Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			rec := bytes.Repeat([]byte("x"), 600) // about one record's JSON
			put := func() {
				batch := make(map[string][]byte, 16)
				for range 16 {
					batch[kind.id()] = rec
				}
				if err := s.Put(batch); err != nil {
					b.Fatal(err)
				}
			}
			for range 2000 / 16 {
				put()
			}
			writes := func() int64 { st := s.db.Stats(); return st.TxStats.GetWrite() }
			w0 := writes()
			b.ResetTimer()
			for range b.N {
				put()
			}
			b.ReportMetric(float64(writes()-w0)/float64(b.N), "pages/commit")
		})
	}
}
