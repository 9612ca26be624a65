package instance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// shortDir returns a fresh folder with a short path: unix socket paths
// are limited to about 100 bytes and test names make t.TempDir long.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// collector records the texts a listener received.
type collector struct {
	mu    sync.Mutex
	texts []string
}

func (c *collector) add(s string) {
	c.mu.Lock()
	c.texts = append(c.texts, s)
	c.mu.Unlock()
}

func (c *collector) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.texts)
}

func listen(t *testing.T, dir string, c *collector) interface{ Close() error } {
	t.Helper()
	l, err := Listen(context.Background(), dir, c.add)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestSendDeliversTextAndSocketIsPrivate(t *testing.T) {
	dir := shortDir(t)
	var c collector
	listen(t, dir, &c)

	fi, err := os.Stat(SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("socket mode = %o, want 600", perm)
	}
	text := "http://127.0.0.1/a.jpg\nhttp://127.0.0.1/b.jpg"
	if err := Send(dir, text); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := Send(dir, ""); err != nil {
		t.Fatalf("Send empty: %v", err)
	}
	// Send returns after the listener acknowledged, which it does only
	// after onLinks returned: no waiting needed.
	if got := c.got(); !slices.Equal(got, []string{text, ""}) {
		t.Errorf("received %q", got)
	}
}

func TestSendWithoutListener(t *testing.T) {
	dir := shortDir(t)
	err := Send(dir, "x")
	if !errors.Is(err, ErrNoInstance) {
		t.Fatalf("Send with no socket = %v, want ErrNoInstance", err)
	}
}

func TestCloseRemovesSocket(t *testing.T) {
	dir := shortDir(t)
	var c collector
	l := listen(t, dir, &c)
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Lstat(SocketPath(dir)); !os.IsNotExist(err) {
		t.Errorf("socket still there after Close: %v", err)
	}
	if err := Send(dir, "x"); !errors.Is(err, ErrNoInstance) {
		t.Errorf("Send after Close = %v, want ErrNoInstance", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCancelStopsListening(t *testing.T) {
	dir := shortDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	l, err := Listen(ctx, dir, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := l.Close(); err != nil { // waits for the listener to stop
		t.Fatalf("Close: %v", err)
	}
	if err := Send(dir, "x"); !errors.Is(err, ErrNoInstance) {
		t.Errorf("Send after cancel = %v, want ErrNoInstance", err)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	dir := shortDir(t)
	// A crashed run leaves its socket file behind with nobody on it.
	old, err := net.ListenUnix("unix", &net.UnixAddr{Name: SocketPath(dir), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	old.SetUnlinkOnClose(false)
	old.Close()
	if _, err := os.Lstat(SocketPath(dir)); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}

	var c collector
	listen(t, dir, &c)
	if err := Send(dir, "after crash"); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := c.got(); !slices.Equal(got, []string{"after crash"}) {
		t.Errorf("received %q", got)
	}
}

func TestLiveSocketIsNotStolen(t *testing.T) {
	dir := shortDir(t)
	var first collector
	listen(t, dir, &first)
	if l, err := Listen(context.Background(), dir, func(string) {}); err == nil {
		l.Close()
		t.Fatal("second Listen on a live socket succeeded")
	}
	if err := Send(dir, "still first"); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := first.got(); !slices.Equal(got, []string{"still first"}) {
		t.Errorf("first listener received %q", got)
	}
}

func TestRegularFileIsNotRemoved(t *testing.T) {
	dir := shortDir(t)
	path := SocketPath(dir)
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if l, err := Listen(context.Background(), dir, func(string) {}); err == nil {
		l.Close()
		t.Fatal("Listen replaced a regular file")
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "mine" {
		t.Errorf("file changed: %q, %v", b, err)
	}
}

func TestConcurrentSendsAllArrive(t *testing.T) {
	dir := shortDir(t)
	var c collector
	listen(t, dir, &c)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- Send(dir, fmt.Sprintf("http://127.0.0.1/%d", i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	got := c.got()
	slices.Sort(got)
	if len(got) != n || !strings.HasPrefix(got[0], "http://127.0.0.1/") {
		t.Errorf("received %d texts: %q", len(got), got)
	}
}

func TestSendRefusesHugeText(t *testing.T) {
	dir := shortDir(t)
	var c collector
	listen(t, dir, &c)
	if err := Send(dir, strings.Repeat("x", MaxText+1)); err == nil {
		t.Fatal("Send of more than MaxText succeeded")
	}
	if got := c.got(); len(got) != 0 {
		t.Errorf("listener received %d texts", len(got))
	}
}

func TestSocketPath(t *testing.T) {
	if got, want := SocketPath("/state"), filepath.Join("/state", "haul.sock"); got != want {
		t.Errorf("SocketPath = %q, want %q", got, want)
	}
}

func TestConnectionWithoutHeaderIsIgnored(t *testing.T) {
	dir := shortDir(t)
	var c collector
	listen(t, dir, &c)
	conn, err := net.Dial("unix", SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("http://127.0.0.1/sneaky"))
	conn.(*net.UnixConn).CloseWrite()
	buf := make([]byte, 8)
	if n, _ := conn.Read(buf); n != 0 {
		t.Errorf("listener answered %q to a message without header", buf[:n])
	}
	conn.Close()
	if err := Send(dir, "real"); err != nil {
		t.Fatal(err)
	}
	if got := c.got(); !slices.Equal(got, []string{"real"}) {
		t.Errorf("received %q", got)
	}
}
