package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// haulCmd prepares `haul args...` as a child process with a home folder
// of its own, so that nothing touches the user's real folders.
func haulCmd(t *testing.T, ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HAUL_TEST_MAIN=1", "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DOWNLOAD_DIR=", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// runHaul runs haul with args to the end and returns what it printed and
// its exit status.
func runHaul(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, out, errs := haulCmd(t, ctx, args...)
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("running haul %q: %v", args, err)
	}
	return out.String(), errs.String(), code
}

// killWhenAsked starts `haul args...` and kills it with SIGKILL once
// asked reports that the server was asked for what the test waits on (or
// after a minute), and settle more has passed; it returns once the
// process is gone.
func killWhenAsked(t *testing.T, ctx context.Context, asked func() bool, settle time.Duration, args ...string) {
	t.Helper()
	cmd, _, _ := haulCmd(t, ctx, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !asked() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polls the server's counter
	}
	time.Sleep(settle)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}
