// Package instance keeps Haul to one window per state folder: the running
// window listens on a unix-domain socket in its state folder, and a second
// launch that finds the folder in use hands its links over that socket
// instead of starting.
//
// The protocol is deliberately tiny: the sender connects, writes the line
// "HAUL/1" and then its text, shuts down its side for writing and waits for
// the one-line answer "ok". Empty text asks the running window to come to
// the front. A hand-off from the browser is sent the same way after the
// line "HAUL/2 handoff", as one JSON object (see Handoff); the answer is
// "ok" or "error: " and the reason on one line. A connection without a
// known header line (such as the probe for a stale socket) is dropped
// without a word.
package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// SocketName is the file name of the socket inside the state folder.
const SocketName = "haul.sock"

// MaxText is the most text one Send may hand over.
const MaxText = 16 << 20

// Timeout bounds one exchange, so a stuck peer cannot hang either side.
const Timeout = 10 * time.Second

const (
	header        = "HAUL/1\n"
	handoffHeader = "HAUL/2 handoff\n"
	ack           = "ok\n"
	refusal       = "error: "
)

// ErrNoInstance means no running Haul answered on the state folder's socket.
var ErrNoInstance = errors.New("no running Haul is listening")

// SocketPath returns the path of the socket for a state folder.
func SocketPath(stateDir string) string { return filepath.Join(stateDir, SocketName) }

// Handlers are what a listener does with what it receives. Links takes
// the text of a second launch; Handoff, if set, takes a browser's
// hand-off and returns an error the sender is told when it refuses it.
// Without Handoff, hand-offs are refused.
type Handlers struct {
	Links   func(text string)
	Handoff func(Handoff) error
}

// Listen accepts text from other launches on stateDir's socket and passes
// each text to onLinks, one at a time, from a goroutine of its own. A
// stale socket left by a crashed run is removed; a live one is an error.
// The socket is private to the user (mode 0600). Closing the returned
// Closer, or cancelling ctx, stops listening and removes the socket;
// Close waits until onLinks has returned.
func Listen(ctx context.Context, stateDir string, onLinks func(text string)) (io.Closer, error) {
	return ListenWith(ctx, stateDir, Handlers{Links: onLinks})
}

// ListenWith is Listen for both kinds of message: the text of a second
// launch and a browser's hand-off. Handlers run one at a time.
func ListenWith(ctx context.Context, stateDir string, h Handlers) (io.Closer, error) {
	path := SocketPath(stateDir)
	if err := removeStale(path); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listening for other launches: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("making the socket private: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &listener{ln: ln, cancel: cancel, h: h}
	l.wg.Add(2)
	go func() {
		defer l.wg.Done()
		<-ctx.Done()
		ln.Close()
	}()
	go l.serve(ctx)
	return l, nil
}

// removeStale deletes a socket at path that nobody answers on.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	if fi.Mode()&fs.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("another Haul is already listening on %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing a stale socket: %w", err)
	}
	return nil
}

type listener struct {
	ln     *net.UnixListener
	cancel context.CancelFunc
	h      Handlers
	mu     sync.Mutex // serialises the handlers
	wg     sync.WaitGroup
	once   sync.Once
}

func (l *listener) serve(ctx context.Context) {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return // closed
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.handle(ctx, c)
		}()
	}
}

// handle reads one message from c, passes it on and answers it.
func (l *listener) handle(ctx context.Context, c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(Timeout))
	data, err := io.ReadAll(io.LimitReader(c, int64(len(handoffHeader))+MaxText+1))
	if err != nil || ctx.Err() != nil {
		return // no answer: a sender reports the failure
	}
	if body, ok := strings.CutPrefix(string(data), handoffHeader); ok && len(body) <= MaxText {
		_, _ = io.WriteString(c, l.handoff(body))
		return
	}
	text, ok := strings.CutPrefix(string(data), header)
	if !ok || len(text) > MaxText {
		return
	}
	l.mu.Lock()
	if l.h.Links != nil {
		l.h.Links(text)
	}
	l.mu.Unlock()
	_, _ = io.WriteString(c, ack)
}

// handoff decodes and passes on one hand-off and returns the answer line.
func (l *listener) handoff(body string) string {
	h, err := decodeHandoff([]byte(body))
	if err == nil && l.h.Handoff == nil {
		err = errors.New("this Haul does not take downloads from the browser")
	}
	if err == nil {
		l.mu.Lock()
		err = l.h.Handoff(h)
		l.mu.Unlock()
	}
	if err != nil {
		return refusal + oneLine(err.Error()) + "\n"
	}
	return ack
}

// Close stops listening, removes the socket and waits for handlers.
func (l *listener) Close() error {
	var err error
	l.once.Do(func() {
		l.cancel()
		l.wg.Wait()
		if e := l.ln.Close(); e != nil && !errors.Is(e, net.ErrClosed) {
			err = fmt.Errorf("closing the socket: %w", e)
		}
	})
	return err
}

// Send hands text to the Haul listening on stateDir and waits until it
// has taken it. It returns an error wrapping ErrNoInstance when nobody
// listens there.
func Send(stateDir, text string) error {
	if len(text) > MaxText {
		return fmt.Errorf("handing links to the running Haul: %d bytes is more than the limit of %d", len(text), MaxText)
	}
	return exchange(stateDir, header+text)
}

// exchange sends one message (header line included) and reads the answer.
func exchange(stateDir, msg string) error {
	path := SocketPath(stateDir)
	d := net.Dialer{Timeout: Timeout}
	c, err := d.Dial("unix", path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("%w on %s", ErrNoInstance, path)
		}
		return fmt.Errorf("reaching the running Haul: %w", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(Timeout))
	if _, err := io.WriteString(c, msg); err != nil {
		return fmt.Errorf("handing links to the running Haul: %w", err)
	}
	if err := c.(*net.UnixConn).CloseWrite(); err != nil {
		return fmt.Errorf("handing links to the running Haul: %w", err)
	}
	line, err := bufio.NewReader(io.LimitReader(c, maxAnswer)).ReadString('\n')
	if err != nil {
		return fmt.Errorf("the running Haul did not confirm: %w", err)
	}
	if reason, ok := strings.CutPrefix(line, refusal); ok {
		return &RefusedError{Reason: strings.TrimSpace(reason)}
	}
	if line != ack {
		return fmt.Errorf("the running Haul answered %q", strings.TrimSpace(line))
	}
	return nil
}
