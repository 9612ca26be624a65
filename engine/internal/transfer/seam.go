package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/safename"
)

// What a protocol of its own package (transfer/hls, transfer/dash) uses
// of its Job besides Pool, Copy, Position, Rewind, FinishOpen, State and
// SetState: requests under the stall timer, the speed limits, the
// connection setting and host slots, the reports, and the files.

// Get sends a GET for u (see NewRequest; edit, if set, adds headers) with
// the stall timer on: every read of the body resets it and its Close ends
// the request. alive resets it too (call it while a read waits for the
// speed limit). A stall comes back as a transient error.
func (j *Job) Get(ctx context.Context, u string, edit func(*http.Request)) (resp *http.Response, alive func(), err error) {
	req, err := j.NewRequest(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	if edit != nil {
		edit(req)
	}
	rctx, g, cancel := j.guard(ctx)
	resp, err = j.Client().Do(req.WithContext(rctx))
	if err != nil {
		g.stop()
		cancel(nil)
		return nil, nil, stalledErr(rctx, err)
	}
	resp.Body = &guardedBody{body: resp.Body, g: g, cancel: cancel, rctx: rctx}
	return resp, g.alive, nil
}

// guardedBody resets its stall timer on every read and ends its request
// on Close.
type guardedBody struct {
	body   io.ReadCloser
	g      *stallGuard
	cancel context.CancelCauseFunc
	rctx   context.Context
}

func (b *guardedBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.g.alive()
	if err != nil && err != io.EOF {
		err = stalledErr(b.rctx, err)
	}
	return n, err
}

func (b *guardedBody) Close() error {
	err := b.body.Close()
	b.g.stop()
	b.cancel(nil)
	return err
}

// StatusError describes resp, an answer that is not what was asked for,
// to a request for link: for the Spec's own URL as Run would (with how
// to fix a 401 for a password not kept), else naming the link redacted.
func (j *Job) StatusError(resp *http.Response, link string) error {
	if link == j.spec.URL.String() {
		return j.statusErr(resp)
	}
	return statusError(resp, RedactURL(link))
}

// ReadAll reads body to its end under the speed limits, calling got with
// each count of bytes read; hint is the size expected (0: unknown).
func (j *Job) ReadAll(ctx context.Context, body io.Reader, hint int64, alive func(), got func(int64)) ([]byte, error) {
	data := make([]byte, 0, min(hint, 64<<20))
	bp := copyBufs.Get().(*[]byte) // as large as readSize can ask for
	defer copyBufs.Put(bp)
	buf := *bp
	for {
		n, rerr := body.Read(buf[:j.readSize()])
		for done := 0; done < n; {
			k, err := j.waitLimits(ctx, n-done)
			if err != nil {
				return nil, context.Cause(ctx)
			}
			alive()
			done += k
		}
		data = append(data, buf[:n]...)
		if n > 0 {
			got(int64(n))
		}
		if rerr == io.EOF {
			return data, nil
		}
		if rerr != nil {
			return nil, rerr
		}
	}
}

// Put appends b to the open span s of the .part file (bytes fetched
// whole, such as a segment); the caller reports the progress.
func (j *Job) Put(s *Span, b []byte) error {
	ps, f := j.pieces(), j.partFile()
	for len(b) > 0 {
		off, w := ps.claim(s, int64(len(b)))
		if w <= 0 {
			return &ProtocolError{"the stream is longer than its file's piece"}
		}
		if _, err := f.WriteAt(b[:w], off); err != nil {
			ps.commit(s, 0)
			return fmt.Errorf("writing %s: %w", j.Name()+PartSuffix, err)
		}
		ps.commit(s, w)
		j.recv.Add(w)
		j.wb.wrote(f, w)
		b = b[w:]
	}
	return nil
}

// Truncate moves s back to pos (see Rewind) and cuts the .part file
// there, when s is past it.
func (j *Job) Truncate(s *Span, pos int64) error {
	if at, _, _ := j.Position(s); pos >= at {
		return nil
	}
	j.Rewind(s, pos)
	if t, ok := j.partFile().(interface{ Truncate(int64) error }); ok {
		if err := t.Truncate(pos); err != nil {
			return fmt.Errorf("truncating %s: %w", j.Name()+PartSuffix, err)
		}
	}
	return nil
}

// Name is the download's file name now (reserved once the .part exists).
func (j *Job) Name() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.name
}

// Root is the download folder, opened: side files live there.
func (j *Job) Root() *os.Root {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.root
}

// Path is the full path of name in the download folder.
func (j *Job) Path(name string) string { return filepath.Join(j.folder(), name) }

// NameTaken reports whether another download holds name in the folder.
func (j *Job) NameTaken(name string) bool { return j.rep.Taken(j.folder(), name) }

// Received is the bytes written to the .part so far.
func (j *Job) Received() int64 { return j.recv.Load() }

// Progress reports n bytes of the file as arrived (written and, for a
// segmented protocol, fetched and waiting to be written).
func (j *Job) Progress(n int64) { j.rep.Progress(n) }

// Segments reports a segmented download's progress (see Reporter).
func (j *Job) Segments(done, total int, estimate int64) { j.rep.Segments(done, total, estimate) }

// Stream reports what a segmented download is (see Reporter).
func (j *Job) Stream(kind, quality string) { j.rep.Stream(kind, quality) }

// Backoff is how long to wait before try n+1 of a request (see Run's
// retries).
func (j *Job) Backoff(n int) time.Duration { return j.backoff(n, 0) }

// WantConns is how many connections the download should use now, and
// two channels (the global setting's, the download's own) closed when
// that may have changed.
func (j *Job) WantConns() (int, <-chan struct{}, <-chan struct{}) { return j.wantConns() }

// TrySlot takes a host slot for one more connection of a download that
// has have, when the host has a fair free one; nil otherwise. Give it
// back with Release.
func (j *Job) TrySlot(have int) *Slot { return j.env.Hosts.tryTake(j.spec.URL.Host, have) }

// SlotFreed is closed when a slot of any host is given back.
func (j *Job) SlotFreed() <-chan struct{} { return j.env.Hosts.freedCh() }

// Joined counts a connection in (+1) or out (-1) and reports how many
// transfer data.
func (j *Job) Joined(delta int) { j.rep.Connections(int(j.live.Add(int32(delta)))) }

// Release gives the slot back; later calls do nothing.
func (s *Slot) Release() { s.release() }

// Checkpoint flushes the .part (and side files) and reports the pieces
// with the State now.
func (j *Job) Checkpoint() { j.checkpoint(false) }

// ReplacePart makes the file from (in the download folder) the .part
// file, complete, and removes the side file side: what a protocol does
// when it joined its files into one.
func (j *Job) ReplacePart(from, side string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	part := j.name + PartSuffix
	if j.file != nil {
		j.file.Close()
		j.file = nil
	}
	if err := j.root.Rename(from, part); err != nil {
		return fmt.Errorf("replacing %s: %w", part, err)
	}
	f, err := j.root.OpenFile(part, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("opening %s: %w", part, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("checking %s: %w", part, err)
	}
	if err := j.root.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
		j.warning = joinWarn(j.warning, fmt.Sprintf("could not delete %s: %v", safename.Display(side), err))
	}
	j.file = j.wrap(f)
	j.ps = newPieceSet([]Piece{{Start: 0, Pos: fi.Size(), End: fi.Size()}})
	j.livePieces.Store(j.ps)
	j.recv.Store(fi.Size())
	j.rep.Progress(fi.Size())
	return nil
}

// RedactURL hides a password in a URL for a message.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "a segment URL"
}

// ParseContentRange reads "bytes START-END/SIZE" (SIZE -1 for "*").
func ParseContentRange(v string) (start, end, size int64, err error) { return parseContentRange(v) }

// SegmentError names the part of a stream an error concerns.
type SegmentError struct {
	What string
	Err  error
}

func (e *SegmentError) Error() string { return e.What + ": " + e.Err.Error() }
func (e *SegmentError) Unwrap() error { return e.Err }

// PolicyError is a refusal by Haul's rules (a live stream, DRM, a
// playlist over limits); never retried.
type PolicyError struct{ Msg string }

func (e *PolicyError) Error() string { return e.Msg }

// AudioPart is the side file that holds a stream's separate audio while
// the download of name runs.
func AudioPart(name string) string { return name + ".audio" + PartSuffix }

// ErrPlaylist is what HTTP's Begin returns when the link turned out to
// be an HLS playlist (by its Content-Type): the owner should run the
// download again with HLS.
var ErrPlaylist = errors.New("the link is an HLS playlist")

// ErrManifest is what HTTP's Begin returns when the link turned out to
// be a DASH manifest (by its Content-Type): the owner should run the
// download again with DASH.
var ErrManifest = errors.New("the link is a DASH manifest")

// hlsKind classifies an HLS playlist refusal.
func hlsKind(err error) (Kind, bool) {
	var pe *hls.ParseError
	if !errors.As(err, &pe) {
		return KindNone, false
	}
	switch {
	case errors.Is(err, hls.ErrLive), errors.Is(err, hls.ErrDRM), errors.Is(err, hls.ErrKeyMethod), errors.Is(err, hls.ErrTooLarge):
		return KindPolicy, true
	}
	return KindProtocol, true
}
