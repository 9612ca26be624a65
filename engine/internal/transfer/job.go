package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Job is one transfer in progress, as a Protocol sees it: the Spec, the
// .part file and its pieces, and the helpers every protocol shares.
type Job struct {
	env  *Env
	spec Spec
	rep  Reporter
	root *os.Root // dir.root
	dir  *openDir
	recv atomic.Int64 // bytes written so far
	live atomic.Int32 // connections transferring
	// oneConn is set once the server answered an extra connection with
	// the wrong bytes: no more extra connections for this download.
	oneConn atomic.Bool
	// progMu orders the progress reports of the connections (addReceived).
	progMu sync.Mutex
	// livePieces is ps, for reading the progress without mu (see Live).
	livePieces atomic.Pointer[pieceSet]
	wb         writeback // hints the .part's pages to the disk as they are written
	// finishing is whether the owner was told the data is all in (see
	// Reporter.Fetching); used only by the goroutine running the attempts.
	finishing bool

	// ckMu orders checkpoints and restarts from zero (held through a
	// checkpoint's flush; taken before mu). The hot path never takes it.
	ckMu sync.Mutex

	mu      sync.Mutex // guards what follows, for checkpoints and restarts; never held over I/O
	file    File
	ps      *pieceSet
	resume  Resume
	name    string
	fixed   bool // name reserved by this download
	state   []byte
	sides   []side // files beside the .part (see OpenSide)
	adopted bool   // the .part was found on disk, owned by no download
	warning string // for the Result (see Result.Warning)
}

func newJob(env *Env, spec Spec, rep Reporter) (*Job, error) {
	d, err := openFolder(env, &spec)
	if err != nil {
		return nil, err
	}
	j := &Job{env: env, spec: spec, rep: rep, root: d.root, dir: d, name: spec.Name, fixed: spec.Fixed}
	j.resume.Total = -1
	if spec.Resume != nil {
		j.resume = *spec.Resume
		j.resume.Pieces = append([]Piece(nil), spec.Resume.Pieces...)
		j.state = spec.Resume.State
		for _, p := range j.resume.Pieces {
			j.recv.Add(p.Pos - p.Start)
		}
	}
	return j, nil
}

// close flushes and closes the .part file and reports the last
// checkpoint.
func (j *Job) close() {
	j.checkpoint(true)
	j.env.dirs.open.close(j.dir)
}

// Spec returns the transfer's fixed inputs.
func (j *Job) Spec() Spec { return j.spec }

// Client is the HTTP client to use now, its redirect policy told of the
// Spec's extra headers (see handedOver.client).
func (j *Job) Client() *http.Client {
	return newHandedOver(j.spec.URL, j.spec.Header).client(j.env.Client())
}

// NewRequest builds a GET for u that asks for the raw bytes and carries
// the Spec's extra headers when u has the origin of the Spec's URL, and
// the page Referer as the referrer policy allows (see refererFor). The
// redirect policy of Client applies the same rules to every redirect.
func (j *Job) NewRequest(ctx context.Context, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	newHandedOver(j.spec.URL, j.spec.Header).onRequest(req)
	req.Header.Set("Accept-Encoding", "identity")
	return req, nil
}

// Validators returns the saved size and validators for If-Range.
func (j *Job) Validators() (total int64, etag, lastModified string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.resume.Total, j.resume.ETag, j.resume.LastModified
}

// State returns the protocol state saved by the last checkpoint (or set
// since with SetState).
func (j *Job) State() []byte {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state
}

// SetState records the protocol's own progress; the next checkpoint
// saves it with the pieces.
func (j *Job) SetState(b []byte) {
	j.mu.Lock()
	j.state = append([]byte(nil), b...)
	j.mu.Unlock()
}

func (j *Job) pieces() *pieceSet {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ps
}

func (j *Job) partFile() File {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.file
}

func (j *Job) received() int64 { return j.recv.Load() }

// addReceived counts w bytes written and reports the new total. The
// reports of several connections are made one at a time, in the order of
// their totals, so the owner never sees the progress go backwards.
func (j *Job) addReceived(w int64) {
	j.progMu.Lock()
	j.rep.Progress(j.recv.Add(w))
	j.progMu.Unlock()
}

// resumable reports whether a partial file should be continued.
func (j *Job) resumable() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.fixed && j.resume.Pieces != nil
}

// wantConns is how many connections the transfer should use now, and a
// channel closed when that may have changed.
func (j *Job) wantConns() (int, <-chan struct{}, <-chan struct{}) {
	n, global := j.env.Global.Connections()
	var own <-chan struct{}
	if j.spec.Limits != nil {
		var k int
		if k, own = j.spec.Limits.Connections(); k > 0 {
			n = k
		}
	}
	return max(n, 1), global, own
}

// restartFresh throws away the partial file so the next attempt starts
// from zero, keeping the reserved name.
func (j *Job) restartFresh() {
	j.ckMu.Lock() // no checkpoint in flight reports the pieces thrown away
	defer j.ckMu.Unlock()
	j.mu.Lock()
	f, fixed, name := j.file, j.fixed, j.name
	j.file, j.ps = nil, nil
	j.livePieces.Store(nil)
	j.resume = Resume{Total: -1}
	j.state, j.adopted = nil, false
	j.recv.Store(0)
	j.mu.Unlock()
	if f != nil {
		f.Close()
	}
	if fixed {
		_ = j.root.Remove(name + PartSuffix)
	}
	j.rep.Learned(name, Resume{Total: -1})
}

// reopen opens the partial file of a download being resumed and checks it
// still holds what the progress claims. The progress is the live pieces
// when an earlier attempt of this run had the file open (they hold every
// byte it wrote), else the saved pieces the run began with.
func (j *Job) reopen() error {
	j.mu.Lock()
	name, recs := j.name, j.resume.Pieces
	if j.ps != nil {
		recs = j.ps.records()
	}
	old := j.file
	j.file = nil
	j.mu.Unlock()
	if old != nil {
		old.Close() // its bytes stay in the page cache for the next flush
	}
	part := name + PartSuffix
	f, err := j.root.OpenFile(part, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the partial file %s is gone: %w", part, ErrChanged)
		}
		return fmt.Errorf("opening %s: %w", part, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("checking %s: %w", part, err)
	}
	var need int64
	for _, p := range recs {
		if p.Pos > p.Start {
			need = max(need, p.Pos)
		}
	}
	if st.Size() < need || !st.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("the partial file %s is shorter than recorded: %w", part, ErrChanged)
	}
	j.useFile(f, recs)
	return nil
}

// useFile makes f the job's partial file, holding the pieces recs, and
// reports the bytes they hold. Called without j.mu.
func (j *Job) useFile(f *os.File, recs []Piece) {
	ps := newPieceSet(recs)
	j.mu.Lock()
	j.file, j.ps = j.wrap(f), ps
	j.mu.Unlock()
	j.livePieces.Store(ps)
	j.recv.Store(ps.received())
	j.rep.Progress(ps.received())
}

func (j *Job) wrap(f *os.File) File {
	if j.env.WrapFile != nil {
		return j.env.WrapFile(f)
	}
	return f
}

// checkpointEvery flushes the .part file and reports the pieces every
// interval until the returned stop is called or ctx ends; it also stops
// the transfer if its folder was deleted. It runs on a timer, not a
// goroutine of its own: most small downloads end before the first tick.
// When stop returns, no checkpoint runs any more.
func (j *Job) checkpointEvery(ctx context.Context, every time.Duration, stopRun context.CancelCauseFunc) (stop func()) {
	var mu sync.Mutex // held by a tick; stop waits for it
	stopped := false
	var t *time.Timer
	mu.Lock() // the first tick sees t
	defer mu.Unlock()
	t = time.AfterFunc(every, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped || ctx.Err() != nil {
			return
		}
		start := time.Now()
		if dir := j.folder(); !dirExists(dir) {
			stopRun(&folderGone{dir})
			return
		}
		j.checkpoint(false)
		t.Reset(max(every-time.Since(start), 0)) // a period, as a ticker's
	})
	return func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
		t.Stop()
	}
}

// checkpoint takes the pieces' progress, then flushes the file, then
// reports that progress: a record never claims a byte not on disk. With
// closing it also closes the file. The flush runs outside j.mu, so
// writers, SetState and the progress readers never wait for the disk;
// j.ckMu keeps checkpoints in order, so a slow one never reports its
// older pieces after a newer one (or after a restart from zero).
func (j *Job) checkpoint(closing bool) {
	j.ckMu.Lock()
	defer j.ckMu.Unlock()
	j.mu.Lock()
	f, ps, state := j.file, j.ps, j.state
	sides := slices.Clone(j.sides)
	var recs []Piece
	if ps != nil {
		recs = ps.records() // before Sync: claims only bytes already written
	}
	if closing {
		j.sides = nil
	}
	if closing {
		j.file = nil
	}
	j.mu.Unlock()
	sidesErr := syncSides(sides, closing) // the state counts their bytes too
	if f == nil {
		return
	}
	ok := f.Sync() == nil && sidesErr == nil
	if closing {
		f.Close()
	}
	if ok && ps != nil {
		j.rep.Checkpoint(recs, state)
	}
}

// Copy writes what body delivers into span s at its position, waiting
// for the speed limits first, until s is full (its tail may have been
// taken by another connection: that is not an error) or filled up to the
// end of what its request asked for, body ends, or an error. At the end
// of body it returns nil for a span of unknown end (the caller decides
// whether the file ends there: see FinishOpen) or one filled up to where
// its request asked, and io.ErrUnexpectedEOF otherwise. alive, if set, is
// called whenever bytes arrive (a stall timer).
func (j *Job) Copy(ctx context.Context, s *Span, body io.Reader, alive func()) error {
	ps, f := j.pieces(), j.partFile()
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	if alive == nil {
		alive = func() {}
	}
	for {
		n, rerr := body.Read(buf[:j.readSize()])
		// The bytes read are written in steps the speed limits allow now:
		// a limit lowered during the read slows them down, never drops them.
		for done := 0; done < n; {
			k, err := j.waitLimits(ctx, n-done)
			if err != nil {
				return context.Cause(ctx)
			}
			alive() // time spent waiting for the speed limit is not a stall
			off, w := ps.claim(s, int64(k))
			if w > 0 {
				if _, err := f.WriteAt(buf[done:done+int(w)], off); err != nil {
					ps.commit(s, 0)
					return fmt.Errorf("writing %s: %w", j.name+PartSuffix, err)
				}
				ps.commit(s, w)
				j.addReceived(w)
				j.wb.wrote(f, w)
			}
			if w < int64(k) {
				return nil // the end of the span
			}
			done += k
		}
		if rerr == io.EOF {
			if ps.short(s) {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if rerr != nil {
			return rerr
		}
		if _, _, done := ps.span(s); done {
			return nil
		}
	}
}

// copyBufs holds Copy's read buffers, reused across pieces and downloads.
var copyBufs = sync.Pool{New: func() any {
	b := make([]byte, fastReadBuf)
	return &b
}}

// FinishOpen ends a span of unknown end at its position: the file ends
// there.
func (j *Job) FinishOpen(s *Span) { j.pieces().finishOpen(s) }

// Rewind moves s back to pos (between its start and its position), so
// the bytes from pos on are fetched and written again: what a protocol
// does on a resume when a segment was only partly in.
func (j *Job) Rewind(s *Span, pos int64) {
	ps := j.pieces()
	ps.mu.Lock()
	if pos >= s.start && pos < s.pos {
		s.pos = pos
	}
	ps.mu.Unlock()
	j.recv.Store(ps.received())
	j.rep.Progress(j.recv.Load())
}

// Position returns where s is to be fetched from: [pos, end), end -1 when
// unknown; done when nothing is left.
func (j *Job) Position(s *Span) (pos, end int64, done bool) { return j.pieces().span(s) }

func (j *Job) readSize() int {
	n := j.env.Global.readSize()
	if j.spec.Limits != nil {
		n = min(n, j.spec.Limits.readSize())
	}
	return n
}

// waitLimits waits until up to n bytes may pass under the global limit
// and the download's own, and returns how many.
func (j *Job) waitLimits(ctx context.Context, n int) (int, error) {
	k := j.env.Global.step(n)
	if j.spec.Limits != nil {
		k = j.spec.Limits.step(k)
	}
	if err := j.env.Global.wait(ctx, k); err != nil {
		return 0, err
	}
	if j.spec.Limits != nil {
		if err := j.spec.Limits.wait(ctx, k); err != nil {
			return 0, err
		}
	}
	return k, nil
}

func (j *Job) ranges() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.resume.Ranges
}
