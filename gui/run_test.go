package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/haul-dl/haul/instance"
)

func TestHandOverSendsAbsolutePathsAndURLs(t *testing.T) {
	state, err := os.MkdirTemp("", "hg") // short: socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(state)
	var mu sync.Mutex
	var got []string
	ln, err := instance.Listen(context.Background(), state, func(text string) {
		mu.Lock()
		got = append(got, text)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	work := t.TempDir()
	t.Chdir(work)
	if err := os.WriteFile("list.txt", []byte("http://127.0.0.1/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := handOver(Config{StateDir: state, Links: []string{"list.txt", "http://127.0.0.1/a.bin"}}); err != nil {
		t.Fatalf("handOver: %v", err)
	}
	if err := handOver(Config{StateDir: state}); err != nil {
		t.Fatalf("handOver with nothing: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := filepath.Join(work, "list.txt") + "\nhttp://127.0.0.1/a.bin"
	if len(got) != 2 || got[0] != want || got[1] != "" {
		t.Errorf("the first Haul received %q, want %q and \"\"", got, want)
	}
}

func TestHandOverWithoutFirstInstanceFails(t *testing.T) {
	state := t.TempDir()
	err := handOver(Config{StateDir: state, Links: []string{"http://127.0.0.1/a"}})
	if err == nil || !strings.Contains(err.Error(), "did not take the links") {
		t.Errorf("handOver to nobody = %v", err)
	}
}
