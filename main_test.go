package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestMain makes the test binary the real haul when HAUL_TEST_MAIN=1: the
// tests below run it as a separate process, as a user would.
func TestMain(m *testing.M) {
	if os.Getenv("HAUL_TEST_MAIN") == "1" {
		os.Args = append([]string{"haul"}, os.Args[1:]...)
		main()
		os.Exit(0) // main exits with its own status; this is a fallback
	}
	os.Exit(m.Run())
}

// folders returns a fresh download folder and state folder.
func folders(t *testing.T) (out, state string) {
	base := t.TempDir()
	return filepath.Join(base, "out"), filepath.Join(base, "state")
}

func sameFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the download: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes on disk differ from the %d served", path, len(got), len(want))
	}
}

func TestGetLinksFile(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	files := map[string][]byte{
		"/iso/big.iso":  testserver.Content(5<<20, 1),
		"/img/a.jpg":    testserver.Content(70_000, 2),
		"/docs/tiny.md": []byte("# tiny\n"),
	}
	var list strings.Builder
	list.WriteString("# three files\n")
	for p, c := range files {
		srv.Add(p, c)
		list.WriteString(srv.URL(p) + "\n")
	}
	out, state := folders(t)
	links := filepath.Join(t.TempDir(), "links.txt")
	if err := os.WriteFile(links, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, code := runHaul(t, "get", "-i", links, "-d", out, "--state", state)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for p, c := range files {
		sameFile(t, filepath.Join(out, filepath.Base(p)), c)
		if !strings.Contains(stdout, "done  "+filepath.Base(p)+"  ") {
			t.Errorf("no line for %s:\n%s", p, stdout)
		}
	}
	if !strings.Contains(stdout, "3 completed · ") {
		t.Errorf("no summary:\n%s", stdout)
	}
	if strings.Contains(stdout, "\x1b") {
		t.Errorf("escape codes in piped output:\n%q", stdout)
	}
}

func TestUsage(t *testing.T) {
	out, state := folders(t)
	cases := []struct {
		args   []string
		code   int
		stream string // "out" or "err"
		want   string
	}{
		{[]string{"get", "--help"}, 0, "out", "Usage: haul get [flags] [URL...]"},
		{[]string{"get", "-h"}, 0, "out", "--limit-rate R"},
		{[]string{"--help"}, 0, "out", "haul get [flags] URL..."},
		{[]string{"help"}, 0, "out", "haul version"},
		{[]string{"--version"}, 0, "out", "haul 0.1.0"},
		{[]string{"get"}, 2, "err", "nothing to download"},
		{[]string{"get", "--state", state, "-d", out, "--bogus", "http://127.0.0.1:9/x"}, 2, "err", "flag provided but not defined: -bogus"},
		{[]string{"get", "--state", state, "-j", "0", "http://127.0.0.1:9/x"}, 2, "err", "-j 0"},
		{[]string{"get", "--state", state, "-j", "two", "http://127.0.0.1:9/x"}, 2, "err", "invalid value"},
		{[]string{"get", "--state", state, "--limit-rate", "1.5Q", "http://127.0.0.1:9/x"}, 2, "err", "not a speed"},
		{[]string{"get", "--state", state, "notalink"}, 2, "err", "not a link"},
		{[]string{"frobnicate"}, 2, "err", "unknown command"},
		{[]string{"--frobnicate"}, 2, "err", "unknown command or option"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			stdout, stderr, code := runHaul(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
			}
			got := stdout
			if c.stream == "err" {
				got = stderr
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("std%s lacks %q:\n%s", c.stream, c.want, got)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a usage error created the download folder")
	}
}

func TestGetStateInUseThenInterruptAndResume(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const size = 6 << 20
	content := testserver.Content(size, 5)
	srv.Add("/slow.img", content, testserver.Throttle(512<<10))
	out, state := folders(t)
	args := []string{"get", "-d", out, "--state", state, "-x", "2", srv.URL("/slow.img")}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first, _, firstErr := haulCmd(t, ctx, args...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Once bytes flow, the first run certainly holds the state folder.
	for srv.Stats("/slow.img").BytesSent < 256<<10 {
		if ctx.Err() != nil {
			t.Fatal("the first run never started downloading")
		}
		time.Sleep(20 * time.Millisecond)
	}

	stdout, stderr, code := runHaul(t, args...)
	if code != 2 {
		t.Errorf("second run at once: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if want := "the download list in " + state + " is in use by another Haul (the window?); close it or pass --state"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}

	// Ctrl-C on the first: it saves its progress and says how to go on.
	if err := first.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := first.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("interrupted run: %v, want exit status 130\nstderr:\n%s", err, firstErr)
	}
	if !strings.Contains(firstErr.String(), "interrupted: run the same command again to resume") {
		t.Errorf("interrupted run's stderr:\n%s", firstErr)
	}
	sentBefore := srv.Stats("/slow.img").BytesSent

	srv.Set("/slow.img", content) // full speed now
	stdout, stderr, code = runHaul(t, args...)
	if code != 0 {
		t.Fatalf("resumed run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	sameFile(t, filepath.Join(out, "slow.img"), content)
	if again := srv.Stats("/slow.img").BytesSent - sentBefore; again >= size {
		t.Errorf("the resumed run downloaded %d bytes: the whole file again", again)
	}
}

// TestGetTerminatedBySIGTERM checks that SIGTERM stops `haul get` like Ctrl-C.
func TestGetTerminatedBySIGTERM(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/slow.bin", testserver.Content(4<<20, 6), testserver.Throttle(256<<10))
	out, state := folders(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, _, stderr := haulCmd(t, ctx, "get", "-d", out, "--state", state, srv.URL("/slow.bin"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once the download is under way on disk: bytes sent, and the
	// .part there to keep (the first bytes may leave the server before it
	// is created).
	part := filepath.Join(out, "slow.bin.part")
	for ctx.Err() == nil {
		if _, err := os.Stat(part); err == nil && srv.Stats("/slow.bin").BytesSent > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130\nstderr:\n%s", err, stderr)
	}
	if _, err := os.Stat(part); err != nil {
		t.Errorf("partial file not kept: %v", err)
	}
}
