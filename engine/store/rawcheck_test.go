package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// buildBusyFile writes a bbolt file exercising what the checker must
// accept: nested and inline buckets, values spanning overflow pages,
// deletions that free pages, and several open/close cycles.
func buildBusyFile(t *testing.T, path string, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	for range 3 {
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			err := db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists(fmt.Appendf(nil, "b%d", r.IntN(3)))
				if err != nil {
					return err
				}
				for range r.IntN(20) {
					k := fmt.Appendf(nil, "k%05d", r.IntN(1000))
					switch r.IntN(5) {
					case 0:
						err = b.Delete(k)
					case 1:
						var nb *bolt.Bucket
						if nb, err = b.CreateBucketIfNotExists(fmt.Appendf(nil, "n%d", r.IntN(4))); err == nil {
							err = nb.Put(k, bytes.Repeat([]byte{1}, r.IntN(50)))
						}
					case 2:
						err = b.Put(k, bytes.Repeat([]byte{2}, r.IntN(20000)))
					default:
						err = b.Put(k, bytes.Repeat([]byte{3}, r.IntN(300)))
					}
					if err != nil && err != bolt.ErrIncompatibleValue {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckAcceptsValidFiles(t *testing.T) {
	for seed := range 5 {
		path := filepath.Join(t.TempDir(), "busy.db")
		buildBusyFile(t, path, uint64(seed))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkBytes(data, 4096); err != nil {
			t.Fatalf("seed %d: a valid file was rejected: %v", seed, err)
		}
	}
}

func TestCheckRejectsDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	buildBusyFile(t, path, 42)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	m0, ok0 := parseMeta(data, 0)
	m1, ok1 := parseMeta(data, ps)
	if !ok0 || !ok1 {
		t.Fatal("fresh file has an invalid meta page")
	}
	root := m0.root
	if m1.txid > m0.txid {
		root = m1.root
	}
	at := int(root) * ps // the root bucket's page: always in use
	tests := []struct {
		name   string
		damage func(b []byte)
	}{
		{"both metas", func(b []byte) { clear(b[:2*ps]) }},
		{"truncated", func(b []byte) { clear(b[len(b)/2:]) }},
		{"page id", func(b []byte) { ne.PutUint64(b[at:], 12345) }},
		{"page flags", func(b []byte) { ne.PutUint16(b[at+8:], 0x20) }},
		{"element count", func(b []byte) { ne.PutUint16(b[at+10:], 0xFFF0) }},
		{"overflow count", func(b []byte) { ne.PutUint32(b[at+12:], 1<<30) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(data)
			tc.damage(b)
			if len(b) == len(data) && bytes.Equal(b, data) {
				t.Fatal("damage changed nothing")
			}
			if err := checkBytes(b, ps); !isCorruption(err) {
				t.Fatalf("checkBytes = %v, want a corruption error", err)
			}
		})
	}
}

// TestOpenSurvivesDamage damages a store file in many ways. Open must
// never crash and must return a working store each time.
func TestOpenSurvivesDamage(t *testing.T) {
	src := t.TempDir()
	s := mustOpen(t, src)
	for i := range 300 {
		if err := s.Put(map[string][]byte{fmt.Sprintf("id-%03d", i): bytes.Repeat([]byte{byte(i)}, 100+i*7)}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := s.Delete(fmt.Sprintf("id-%03d", i/2)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join(src, FileName))
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	moved := 0
	const cases = 100
	for c := range cases {
		r := rand.New(rand.NewPCG(uint64(c), 99))
		b := bytes.Clone(orig)
		switch c % 4 {
		case 0: // a few random bytes
			for range 1 + r.IntN(8) {
				b[r.IntN(len(b))] = byte(r.Uint32())
			}
		case 1: // a zeroed page
			p := r.IntN(len(b) / ps)
			clear(b[p*ps : (p+1)*ps])
		case 2: // truncated
			b = b[:r.IntN(len(b))]
		case 3: // one page copied over another
			p, q := r.IntN(len(b)/ps), r.IntN(len(b)/ps)
			copy(b[p*ps:(p+1)*ps], orig[q*ps:(q+1)*ps])
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir)
		if err != nil {
			t.Fatalf("case %d: Open: %v", c, err)
		}
		if s.Notice() != "" {
			moved++
		}
		if _, err := s.Load(); err != nil {
			t.Errorf("case %d: Load: %v", c, err)
		}
		if err := s.Put(map[string][]byte{"new": []byte("x")}); err != nil {
			t.Errorf("case %d: Put: %v", c, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("case %d: Close: %v", c, err)
		}
	}
	t.Logf("%d of %d damaged files were moved aside", moved, cases)
	if moved == 0 {
		t.Fatal("no damage was detected")
	}
}
