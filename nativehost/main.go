package nativehost

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Main runs `haul native-host`: it serves the browser on stdin and stdout
// for the window of stateDir and returns the exit status. args are what
// the browser passed (the caller's origin, or Firefox's manifest path and
// extension ID); a caller other than Haul's extension is refused.
// Nothing but framed replies is ever written to stdout.
func Main(ctx context.Context, args []string, stateDir, version string, stdin io.Reader, stdout, stderr io.Writer) int {
	if !CallerAllowed(args) {
		_ = WriteMessage(stdout, reply{Error: "Haul answers only its own extension"})
		fmt.Fprintf(stderr, "haul native-host: refused the caller %q\n", clip(args[len(args)-1]))
		return 1
	}
	h := &Host{StateDir: stateDir, Version: version}
	if err := h.Serve(ctx, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "haul native-host: %v\n", err)
		return 1
	}
	return 0
}

// Executable is the absolute path of the running haul, symbolic links
// resolved, for the host manifests.
func Executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the haul executable: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Abs(exe)
}
