package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// openCommand is the program that opens a file or a folder with the
// desktop's default application, the path to open last.
func openCommand() []string {
	switch runtime.GOOS {
	case "darwin":
		return []string{"open"}
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler"}
	}
	return []string{"xdg-open"}
}

// openPath opens a file or folder with the desktop's default application,
// on a background goroutine; what went wrong (the file is gone, nothing
// can open it) is shown in the window. UI goroutine only.
func (u *UI) openPath(p string) {
	if !u.m.can(canOpenFiles) {
		u.showError(fmt.Errorf("%s is on %s: open it there", p, u.places.current))
		return
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		u.showError(fmt.Errorf("Could not open %s: %w", p, err))
		return
	}
	cmd := u.openCmd
	if cmd == nil {
		cmd = openCommand()
	}
	u.goJob(func(ctx context.Context) {
		if err := runOpener(ctx, cmd, abs); err != nil && ctx.Err() == nil {
			u.post(func() { u.showError(fmt.Errorf("Could not open %s: %w", abs, err)) })
		}
	})
}

// runOpener runs the opener cmd on path and waits for it: a missing
// path, a missing program or a failing one is an error, with the last
// line the program wrote.
func runOpener(ctx context.Context, cmd []string, path string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("it is not there any more")
		}
		return err
	}
	c := exec.CommandContext(ctx, cmd[0], append(cmd[1:], path)...)
	out, err := c.CombinedOutput()
	if err == nil {
		return nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return fmt.Errorf("no program to open it with: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return fmt.Errorf("%s (%w)", last, err)
	}
	return fmt.Errorf("the program that opens files failed: %w", err)
}
