// Package aria2test runs Debian's real aria2c on loopback for tests: a
// daemon with its RPC on a free port, a secret and a download folder of
// its own, that can be stopped and started again on the same port.
package aria2test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Daemon is one aria2c started by a test.
type Daemon struct {
	t       testing.TB
	Port    int
	Secret  string
	Dir     string // where it downloads
	session string

	mu     sync.Mutex
	cmd    *exec.Cmd
	out    *strings.Builder
	exited chan error
	extra  []string
}

// Require skips the test when aria2c is not installed.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("aria2c"); err != nil {
		t.Skip("aria2c is not installed (apt-get install aria2): the tests against a real box did not run")
	}
}

// Start runs aria2c with its RPC on a free loopback port and waits until
// it says it listens. It is stopped when the test ends.
func Start(t testing.TB, secret string, extra ...string) *Daemon {
	t.Helper()
	Require(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tmp := t.TempDir()
	d := &Daemon{t: t, Port: port, Secret: secret, Dir: filepath.Join(tmp, "dl"), session: filepath.Join(tmp, "session")}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d.start(extra)
	t.Cleanup(func() { d.Stop(false) })
	return d
}

// URL is the daemon's RPC endpoint.
func (d *Daemon) URL() string { return fmt.Sprintf("ws://127.0.0.1:%d/jsonrpc", d.Port) }

func (d *Daemon) start(extra []string) {
	d.t.Helper()
	if _, err := os.Stat(d.session); err != nil {
		if err := os.WriteFile(d.session, nil, 0o600); err != nil {
			d.t.Fatal(err)
		}
	}
	args := []string{
		"--no-conf", "--enable-rpc", "--rpc-listen-all=false", "--disable-ipv6",
		fmt.Sprintf("--rpc-listen-port=%d", d.Port),
		"--dir=" + d.Dir,
		"--input-file=" + d.session, "--save-session=" + d.session,
		"--console-log-level=notice", "--enable-color=false", "--summary-interval=0",
		"--async-dns=false", "--check-certificate=true", "--allow-overwrite=true",
	}
	if d.Secret != "" {
		args = append(args, "--rpc-secret="+d.Secret)
	}
	args = append(args, extra...)
	cmd := exec.Command("aria2c", args...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		d.t.Fatalf("starting aria2c: %v", err)
	}
	out := &strings.Builder{}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		once := sync.Once{}
		for sc.Scan() {
			d.mu.Lock()
			out.WriteString(sc.Text() + "\n")
			d.mu.Unlock()
			if strings.Contains(sc.Text(), "RPC: listening on TCP port") {
				once.Do(func() { close(ready) })
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()
	d.mu.Lock()
	d.cmd, d.out, d.exited, d.extra = cmd, out, exited, extra
	d.mu.Unlock()
	select {
	case <-ready:
	case err := <-exited:
		exited <- err
		d.t.Fatalf("aria2c ended before listening (%v):\n%s", err, d.Output())
	case <-time.After(60 * time.Second): // a safety net, not a synchronisation
		d.t.Fatalf("aria2c did not say it listens within a minute:\n%s", d.Output())
	}
}

// Output is what aria2c printed so far.
func (d *Daemon) Output() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.String()
}

// Stop ends the daemon and waits for it: gracefully (SIGTERM: aria2c
// saves its session, so a restart lists the unfinished downloads again)
// or not (SIGKILL). Stopping a stopped daemon does nothing.
func (d *Daemon) Stop(graceful bool) {
	d.mu.Lock()
	cmd, exited := d.cmd, d.exited
	d.cmd = nil
	d.mu.Unlock()
	if cmd == nil {
		return
	}
	sig := syscall.SIGKILL
	if graceful {
		sig = syscall.SIGTERM
	}
	_ = cmd.Process.Signal(sig)
	<-exited
}

// Restart starts the daemon again on the same port with the same secret,
// folder and session.
func (d *Daemon) Restart() {
	d.t.Helper()
	d.Stop(true)
	d.start(d.extra)
}

// Context returns a context that ends a minute from now or with the test,
// for waits that must not hang a broken test forever.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
