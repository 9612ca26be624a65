package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	data := make([]byte, 5<<20+123)
	rand.Read(data)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "f.bin", time.Unix(1e9, 0), bytes.NewReader(data))
	}))
	defer srv.Close()
	dir := t.TempDir()
	m, err := Open(context.Background(), Options{StateDir: filepath.Join(dir, "state"), DefaultDir: filepath.Join(dir, "dl"), MinPiece: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	id, err := m.Add(Request{URL: srv.URL + "/f.bin"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := m.Wait(ctx, id); err != nil {
		t.Fatal(err)
	}
	s, _ := m.Get(id)
	if s.State != Completed {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	got, err := os.ReadFile(s.Path())
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("content mismatch: %v len %d", err, len(got))
	}
}
