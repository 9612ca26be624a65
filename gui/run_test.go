package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/store"
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

// TestShutdownReturnsOnceTheEngineHasSaved: when the window's run ends,
// the engine has saved every download's progress and released the state
// folder, so the process may exit at once.
func TestShutdownReturnsOnceTheEngineHasSaved(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/saved.bin"), "", "the test")
	id := h.idByName("saved.bin")
	h.until("the first bytes", func() bool {
		s, _ := h.u.model.snapshot(id)
		return s.Received >= 1000
	})
	_, stop := context.WithCancel(context.Background())
	if err := shutdown(stop, h.u, h.m); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	// Right away: nobody holds the state store any more (a close still
	// saving would), and the next launch finds the progress there.
	f, err := os.Open(filepath.Join(h.root, "state", store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("the state store is still held after shutdown returned: %v", err)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	m, err := engine.Open(context.Background(), engine.Options{StateDir: filepath.Join(h.root, "state"), DefaultDir: h.dl, HoldRestored: true})
	if err != nil {
		t.Fatalf("opening the state folder right after shutdown: %v", err)
	}
	defer m.Close()
	if s, ok := m.Get(id); !ok || s.Received < 1000 {
		t.Errorf("after shutdown the list has %+v (found %v), want the download with its 1000 bytes", s, ok)
	}
}
