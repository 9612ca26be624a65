package nativehost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/haul-dl/haul/instance"
)

// Host answers one browser connection.
type Host struct {
	// StateDir is the state folder of the window to hand requests to.
	StateDir string
	// Version is Haul's version, told to the extension's popup.
	Version string
	// Start starts the window when none runs; nil: StartWindow.
	Start func() error
	// StartWait bounds how long a hand-off waits for a started window
	// to answer; 0: 30 seconds.
	StartWait time.Duration
	// RetryEvery is the pause between tries while the window starts;
	// 0: 200 ms.
	RetryEvery time.Duration
	// Fetch gets a playlist or manifest for a "qualities" message;
	// nil: engine.Fetch with Haul's own client.
	Fetch FetchFunc
}

// Serve reads messages from r and answers each on w until the browser
// closes r (nil) or ctx ends. Every message gets an answer: bad ones a
// clear error. A message whose framing is broken is answered and ends
// the exchange with its error, as the stream cannot be read on.
func (h *Host) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	for ctx.Err() == nil {
		body, err := ReadMessage(r, MaxIncoming)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			_ = WriteMessage(w, reply{Error: "Haul refused " + err.Error()})
			return err
		}
		if err := WriteMessage(w, h.answer(ctx, body)); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// answer handles one message.
func (h *Host) answer(ctx context.Context, body []byte) reply {
	m, err := parse(body)
	if err != nil {
		return reply{Error: "Haul refused the message: " + err.Error()}
	}
	if m.Type == "ping" {
		running := h.running()
		return reply{OK: true, Type: "pong", Version: h.Version, Window: &running}
	}
	if m.Type == "qualities" {
		return h.qualities(ctx, m)
	}
	if err := h.handOver(ctx, m.handoff()); err != nil {
		return reply{Error: err.Error()}
	}
	return reply{OK: true}
}

// running reports whether a window listens on the state folder's socket.
func (h *Host) running() bool {
	c, err := net.DialTimeout("unix", instance.SocketPath(h.StateDir), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// handOver passes ho to the running window, starting one when none runs
// and trying again until it answers or StartWait has passed.
func (h *Host) handOver(ctx context.Context, ho instance.Handoff) error {
	err := instance.SendHandoff(h.StateDir, ho)
	if !errors.Is(err, instance.ErrNoInstance) {
		return wrapSend(err)
	}
	start := h.Start
	if start == nil {
		start = StartWindow
	}
	if err := start(); err != nil {
		return fmt.Errorf("Haul is not running and could not be started: %w", err)
	}
	wait, every := h.StartWait, h.RetryEvery
	if wait <= 0 {
		wait = 30 * time.Second
	}
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("Haul was started but did not answer within %v: %w", wait, err)
		case <-t.C:
		}
		err = instance.SendHandoff(h.StateDir, ho)
		if !errors.Is(err, instance.ErrNoInstance) {
			return wrapSend(err)
		}
	}
}

func wrapSend(err error) error {
	if err == nil {
		return nil
	}
	var refused *instance.RefusedError
	if errors.As(err, &refused) {
		return fmt.Errorf("Haul refused it: %s", refused.Reason)
	}
	return fmt.Errorf("could not hand it to Haul: %w", err)
}

// StartWindow starts Haul's window (this executable, without arguments)
// in a session of its own, detached from the browser's pipes, so that it
// outlives the host and the browser.
func StartWindow() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding Haul's executable: %w", err)
	}
	return startDetached(exe)
}

func startDetached(exe string, args ...string) error {
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, null, null
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", exe, err)
	}
	// Reap it when it ends, if this host is still there.
	go func() { _ = cmd.Wait() }()
	return nil
}

// Invoked reports whether a browser started this executable as its
// native-messaging host: Chromium passes the caller's origin
// ("chrome-extension://ID/") as the first argument, Firefox the path of
// the host manifest and then the extension's ID.
func Invoked(args []string) bool {
	if len(args) >= 1 && strings.HasPrefix(args[0], "chrome-extension://") {
		return true
	}
	return len(args) == 2 && strings.HasSuffix(args[0], ".json") && args[1] == GeckoID
}

// CallerAllowed reports whether the arguments a browser passed name
// Haul's own extension, so that a host started for any other caller
// refuses to serve it.
func CallerAllowed(args []string) bool {
	if len(args) >= 1 && strings.HasPrefix(args[0], "chrome-extension://") {
		return args[0] == ChromeOrigin
	}
	if len(args) == 2 && strings.HasSuffix(args[0], ".json") {
		return args[1] == GeckoID
	}
	return true // run by hand: `haul native-host`
}
