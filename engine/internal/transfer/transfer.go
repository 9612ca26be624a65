// Package transfer runs one download: from a value of fixed inputs (a
// Spec) to a verified file under its final name, retrying transient
// failures and checkpointing progress so it can resume after a crash.
//
// It knows nothing of the engine's queue, list or store: a running
// transfer reads only its Spec and its Env, and reports back through a
// Reporter. What is specific to a protocol (HTTP, HLS video) sits
// behind the Protocol interface; everything else — the .part file,
// the pieces and their checkpoints, speed and connection limits, host
// slots, retries with backoff, the file name, verification and the final
// placement — is shared by every protocol.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"time"
)

// PartSuffix marks a file that is still being downloaded.
const PartSuffix = ".part"

// maxRestarts bounds how often a download starts over because the file
// on the server kept changing.
const maxRestarts = 3

// Spec is everything one run of a transfer needs, fixed when it starts.
// A later change (a password given again, new headers) applies to the
// next run.
type Spec struct {
	URL      *url.URL    // password included; never logged or stored by this package
	Header   http.Header // extra request headers for URL's origin (see CleanHeader)
	Dir      string      // destination folder (absolute)
	Name     string      // the name so far: reserved when NameFixed, else a guess
	Fixed    bool        // Name is chosen and reserved (a resume)
	Explicit bool        // Name was given by the user: keep it rather than the server's
	Checksum string      // "algo=hex" the finished file must match; "" for none
	Resume   *Resume     // progress of an earlier run; nil for a fresh start
	Limits   *Limits     // this download's own limits, changed live; nil for none
	// KindBase, when set, files a fresh download by kind: it goes into
	// the folder of its name's kind under KindBase (filekind.Kind.Folder),
	// decided with the name, before its .part file is created, and Dir
	// (where the download was filed by the name its link gives) is
	// replaced (see FolderReporter). A resume (Fixed) stays in Dir.
	KindBase string
}

// Resume is what a transfer learned and saved: enough to continue where
// it stopped. The engine stores it with the download.
type Resume struct {
	Total        int64   // bytes; -1 when unknown
	ETag         string  // strong validator, for If-Range
	LastModified string  // validator used when there is no ETag
	Ranges       bool    // the server honours byte ranges
	ServerDigest string  // "algo=hex" announced by the server
	Warning      string  // e.g. the size was not announced
	Pieces       []Piece // progress; nil until the .part file exists
	State        []byte  // the protocol's own progress (see Job.SetState); opaque here
}

// RetryInfo tells that a transfer waits to try again.
type RetryInfo struct {
	Attempt int       // failed attempts in a row so far (1-based)
	Of      int       // attempts allowed before the transfer fails
	At      time.Time // when the next attempt starts
	Problem Problem   // what went wrong on the last attempt
}

// Reporter receives what a running transfer has to tell its owner. Its
// methods are called from the transfer's goroutines, never while the
// transfer holds a lock the owner could need; they must be quick and
// must not block on the transfer.
type Reporter interface {
	// Progress reports how many bytes of the file are written so far (not
	// yet synced); it may go down when a download starts over.
	Progress(received int64)
	// Connections reports how many connections transfer data now.
	Connections(n int)
	// Learned reports a (re)start from zero: the name is now chosen and
	// reserved, and r holds what the first answer said (pieces planned,
	// nothing received yet).
	Learned(name string, r Resume)
	// Checkpoint reports progress that is safely on disk: the .part file
	// was flushed (fsync) after these pieces were taken, so they never
	// claim a byte that is not there.
	Checkpoint(pieces []Piece, state []byte)
	// Retrying reports a wait before the next attempt; nil when it ends.
	Retrying(info *RetryInfo)
	// Names guards the file names of all downloads in a folder.
	Names
}

// Names reserves file names among the downloads of one owner, in memory.
// The transfer checks the disk itself; the owner only keeps two of its
// downloads from choosing the same name at once.
type Names interface {
	// Taken reports whether another download holds name in dir.
	Taken(dir, name string) bool
	// Reserve takes name in dir for this download; false if another
	// download took it first.
	Reserve(dir, name string) bool
	// Release gives a name back.
	Release(dir, name string)
}

// Env is what all transfers of one owner share. Its fields must not
// change while transfers run, except through their own methods.
type Env struct {
	Client     func() *http.Client // the current client (its CA bundle may change)
	Hosts      *HostSlots          // connections per host across downloads
	Global     *Limits             // limits for all downloads together
	MinPiece   int64               // smallest piece worth its own connection
	Retries    int                 // failed attempts in a row that end a transfer
	RetryBase  time.Duration       // first backoff; doubles each attempt
	RetryMax   time.Duration       // longest backoff
	Stall      time.Duration       // a connection silent this long is restarted
	Checkpoint time.Duration       // how often progress is flushed and reported
	// SplitAbove is the rate (bytes per second) of a first connection
	// above which the ramp does not try more: a connection that fast is
	// not throttled per connection, and more only add work for the CPU and
	// the disk. 0 or less always tries (see ramp.go, Options.SplitAbove).
	SplitAbove int64
	// WrapFile, if set, wraps each .part file opened (tests inject faults).
	WrapFile func(File) File

	dirs dirSyncs // folder flushes shared by the files finishing at once
}

// File is an open .part file (an *os.File; tests wrap it to inject
// faults such as a full disk). A wrapper that also implements
// WritebackHinter gets the writeback hints of large downloads.
type File interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Sync() error
	Close() error
	Stat() (os.FileInfo, error)
}

// Result is how a finished transfer ended.
type Result struct {
	Name  string // the final file name (may differ from the reserved one)
	Total int64  // the file's size
}

// Run transfers spec to completion with p, retrying transient failures
// with exponential backoff. It returns once the file is complete,
// verified and in place, or with the error that stopped it; when ctx is
// canceled the error is its cause. Progress is checkpointed (and the
// last checkpoint reported) before Run returns, whatever the outcome.
func Run(ctx context.Context, env *Env, spec Spec, p Protocol, rep Reporter) (Result, error) {
	job, err := newJob(env, spec, rep)
	if err != nil {
		return Result{}, err
	}
	defer job.close()
	if lr, ok := rep.(LiveReporter); ok {
		lr.Live(job.written)
	}
	runCtx, stopRun := context.WithCancelCause(ctx)
	defer stopRun(nil)
	stopCheckpoints := job.checkpointEvery(runCtx, env.Checkpoint, stopRun)
	stopWriteback := job.wb.during(runCtx)
	res, err := job.run(runCtx, p)
	stopWriteback()
	stopCheckpoints()
	if err != nil && ctx.Err() == nil {
		if cause := context.Cause(runCtx); errors.Is(cause, ErrFolderGone) {
			err = cause
		}
	}
	return res, err
}

// run is Run's retry loop.
func (j *Job) run(ctx context.Context, p Protocol) (Result, error) {
	failures, restarts := 0, 0
	best := j.received() // the furthest any attempt got
	for {
		if j.resumable() && !j.ranges() {
			// The server does not do ranges: what we have cannot be
			// continued, only fetched again.
			j.restartFresh()
		}
		res, err := j.attempt(ctx, p)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return Result{}, context.Cause(ctx)
		}
		var ie *IntegrityError
		if j.wasAdopted() && errors.As(err, &ie) {
			// A .part found on disk did not prove to be this file after all.
			j.restartFresh()
			continue
		}
		if errors.Is(err, ErrChanged) || errors.Is(err, ErrShrunk) {
			if restarts++; restarts > maxRestarts {
				return Result{}, &ProtocolError{"the file keeps changing on the server: " + err.Error()}
			}
			j.restartFresh()
			continue
		}
		again, after := Retryable(err)
		if !again {
			return Result{}, err
		}
		if got := j.received(); got > best {
			best, failures = got, 0 // further than ever: a new streak
		}
		if failures++; failures > j.env.Retries {
			return Result{}, &gaveUp{failures, err}
		}
		wait := j.backoff(failures, after)
		j.rep.Retrying(&RetryInfo{Attempt: failures, Of: j.env.Retries + 1, At: time.Now().Add(wait), Problem: ProblemOf(err)})
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			j.rep.Retrying(nil)
			return Result{}, context.Cause(ctx)
		}
		j.rep.Retrying(nil)
	}
}

// backoff is RetryBase·2^(n-1) with ±25% jitter, capped at RetryMax, or
// the server's Retry-After when that is longer.
func (j *Job) backoff(n int, retryAfter time.Duration) time.Duration {
	d := j.env.RetryBase << min(n-1, 20)
	if d > j.env.RetryMax || d <= 0 {
		d = j.env.RetryMax
	}
	d = time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
	return max(d, retryAfter)
}

// attempt makes one pass: the protocol's first request and a new .part
// file (fresh), or the partial file reopened and checked (resume); then
// the protocol fills the pieces; then verification and placement.
func (j *Job) attempt(ctx context.Context, p Protocol) (Result, error) {
	j.fetching(true) // back to the network, if an earlier finish failed
	slot, err := j.env.Hosts.take(ctx, j.spec.URL.Host)
	if err != nil {
		return Result{}, err
	}
	defer slot.release() // unless a worker took it over: released exactly once
	var start *Start
	if !j.resumable() {
		if start, err = p.Begin(ctx, j); err != nil {
			return Result{}, err
		}
		if err := j.prepare(start); err != nil {
			start.close()
			return Result{}, err
		}
	} else if err := j.reopen(); err != nil {
		return Result{}, err
	}
	if !j.pieces().complete() {
		if err := p.Fill(ctx, j, start, slot); err != nil {
			return Result{}, err
		}
		if err := context.Cause(ctx); err != nil {
			return Result{}, err
		}
		if !j.pieces().complete() {
			return Result{}, fmt.Errorf("pieces left unfilled: %w", io.ErrUnexpectedEOF)
		}
	} else {
		start.close()
	}
	slot.release()
	j.fetching(false)
	return j.complete(ctx)
}
