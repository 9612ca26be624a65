package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"

	"github.com/haul-dl/haul/engine/safename"
)

// This file decides a download's file name — the one place that does —
// and puts the finished file under it.

// TentativeName is the name shown for a download before the server has
// answered: the URL's, sanitized. The name is decided when the transfer
// starts (see Job.prepare).
func TentativeName(u *url.URL) string { return safename.Choose("", u, "") }

// chooseName picks the base name for a fresh download: the user's, or
// the one the server's answer and the URL suggest.
func (j *Job) chooseName(st *Start) string {
	if j.spec.Explicit && j.spec.Name != "" {
		return j.spec.Name
	}
	if st.Name != "" {
		return st.Name
	}
	return safename.Choose(st.Disposition, j.spec.URL, st.ContentType)
}

// reserveName finds a free name from base — free on disk and among the
// owner's downloads — and reserves it. The disk is checked here, not by
// the owner, so the owner's lock is never held over I/O.
func (j *Job) reserveName(base string) (string, error) {
	dir := j.spec.Dir
	for range 100 {
		name, err := safename.Unique(j.root, base, func(c string) bool { return j.rep.Taken(dir, c) })
		if err != nil {
			return "", fmt.Errorf("choosing a file name: %w", err)
		}
		if j.rep.Reserve(dir, name) {
			return name, nil
		}
	}
	return "", errors.New("choosing a file name: every candidate was taken meanwhile")
}

// orphan reports whether base.part is on disk, a regular file no download
// owns, with nothing at base: a partial file whose record was lost (a
// corrupt list moved aside). It returns the file's size.
func (j *Job) orphan(base string) (int64, bool) {
	if j.rep.Taken(j.spec.Dir, base) {
		return 0, false
	}
	if _, err := j.root.Lstat(base); !errors.Is(err, fs.ErrNotExist) {
		return 0, false
	}
	st, err := j.root.Lstat(base + PartSuffix)
	if err != nil || !st.Mode().IsRegular() {
		return 0, false
	}
	return st.Size(), true
}

// createFree reserves base and creates base.part when base is free — no
// download owns it, nothing is at base, and no base.part is there, which
// the exclusive create itself checks (one lookup fewer per file than
// asking first). It returns nil, having reserved and created nothing, in
// every other case: the caller then looks closer (an orphan .part to
// adopt, another name, an error to report).
func (j *Job) createFree(base string) *os.File {
	dir := j.spec.Dir
	if safename.Sanitize(base) != base || j.rep.Taken(dir, base) {
		return nil
	}
	if _, err := j.root.Lstat(base); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if !j.rep.Reserve(dir, base) {
		return nil
	}
	f, err := createPart(j.dir, base+PartSuffix)
	if err != nil {
		j.rep.Release(dir, base)
		return nil
	}
	return f
}

// prepare turns the first answer of a fresh attempt into a reserved name,
// a planned set of pieces (reported to the owner) and a new .part file.
// A .part no download owns is adopted when its bytes can be proved at the
// end (ranges and a whole-file digest); otherwise it is left alone, with
// a warning, and the download takes another name.
func (j *Job) prepare(st *Start) error {
	j.mu.Lock()
	name, fixed := j.name, j.fixed
	j.mu.Unlock()
	r := Resume{Total: st.Total, ETag: st.ETag, LastModified: st.LastModified, Ranges: st.Ranges, ServerDigest: st.ServerDigest, Warning: st.Warning}
	var adoptSize int64 = -1
	var f *os.File // the new .part, when createFree made it
	if !fixed {
		base := j.chooseName(st)
		if err := j.fileByKind(base); err != nil {
			return err
		}
		if f = j.createFree(base); f != nil {
			name = base
		} else {
			if size, ok := j.orphan(base); ok {
				verifiable := st.Ranges && st.Total > 0 && size <= st.Total && (st.ServerDigest != "" || j.spec.Checksum != "")
				if verifiable && j.rep.Reserve(j.spec.Dir, base) {
					name, adoptSize = base, size
				} else {
					r.Warning = joinWarn(r.Warning, fmt.Sprintf("an older %s that no download owns was left as it is", safename.Display(base+PartSuffix)))
				}
			}
			if adoptSize < 0 {
				var err error
				if name, err = j.reserveName(base); err != nil {
					return err
				}
			}
		}
	}
	// One piece: the first answer streams the whole file unless the ramp
	// finds that more connections help; they then take halves of what is
	// left (see pool.go, ramp.go).
	if st.Total < 0 {
		r.Pieces = []Piece{{Start: 0, Pos: 0, End: -1}}
	} else {
		r.Pieces = split(st.Total, 1)
	}
	if adoptSize > 0 {
		for i := range r.Pieces {
			r.Pieces[i].Pos = min(max(adoptSize, r.Pieces[i].Start), r.Pieces[i].End)
		}
		st.close() // its bytes are on disk already
	}
	j.mu.Lock()
	j.name, j.fixed, j.resume, j.adopted = name, true, r, adoptSize >= 0
	j.mu.Unlock()
	j.rep.Learned(name, r)

	part := name + PartSuffix
	var err error
	switch {
	case f != nil:
	case adoptSize >= 0:
		f, err = j.root.OpenFile(part, os.O_RDWR, 0)
	default:
		f, err = createPart(j.dir, part)
		if errors.Is(err, fs.ErrExist) && fixed {
			// Ours from an earlier attempt that never recorded progress.
			if err = j.root.Remove(part); err == nil {
				f, err = createPart(j.dir, part)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("creating %s: %w", part, err)
	}
	j.useFile(f, r.Pieces)
	return nil
}

func (j *Job) wasAdopted() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.adopted
}

func joinWarn(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}

// complete verifies the finished .part file (size, then digests), flushes
// it, moves it to its final name without overwriting anything, and
// flushes the folder.
func (j *Job) complete(ctx context.Context) (Result, error) {
	j.mu.Lock()
	f, ps, name := j.file, j.ps, j.name
	if j.resume.Total < 0 {
		j.resume.Total = ps.received()
	}
	total := j.resume.Total
	var sums []checksum
	for i, s := range []string{j.spec.Checksum, j.resume.ServerDigest} {
		if s != "" {
			if c, err := parseChecksum(s); err == nil {
				if i == 1 {
					c.source = "digest header"
				}
				sums = append(sums, c)
			}
		}
	}
	j.mu.Unlock()
	part := name + PartSuffix
	st, err := f.Stat()
	if err != nil {
		return Result{}, fmt.Errorf("checking %s: %w", part, err)
	}
	if got := ps.received(); got != total || st.Size() != total {
		return Result{}, &IntegrityError{fmt.Sprintf("size mismatch: expected %d bytes, have %d", total, st.Size())}
	}
	if err := verify(ctx, f, sums); err != nil {
		return Result{}, err
	}
	if err := j.flushFile(f); err != nil { // shared with files finishing at once
		return Result{}, fmt.Errorf("flushing %s: %w", part, err)
	}
	j.mu.Lock()
	j.file = nil
	j.mu.Unlock()
	if err := f.Close(); err != nil {
		return Result{}, fmt.Errorf("closing %s: %w", part, err)
	}
	final, err := j.place(name, ps.records())
	if err != nil {
		return Result{}, err
	}
	// The folder is flushed so the name survives a crash, by the same
	// stream of flushes as the files' bytes: one flush of the file system
	// can cover the names of some files and the bytes of others (see
	// datasync.go, dirsync.go). It is tried twice; the file is complete
	// and in place either way, so a failure is a warning, not a failure
	// (which would fetch the file again).
	var warn string
	if _, err := j.flush(j.syncDir, true); err != nil {
		if _, err = j.flush(j.syncDir, true); err != nil {
			warn = fmt.Sprintf("the folder could not be flushed to disk (%v): after a crash, %s may be missing", err, safename.Display(final))
		}
	}
	j.mu.Lock()
	j.name = final
	warn = joinWarn(j.warning, warn)
	j.mu.Unlock()
	return Result{Name: final, Total: total, Warning: warn}, nil
}

// syncDir flushes the download folder, through the handle its
// transfers share (see folders.go).
func (j *Job) syncDir() error {
	d := j.folderHandle()
	if j.env.dirs.syncDir != nil {
		return j.env.dirs.syncDir(d)
	}
	return d.dir.Sync()
}

// verify reads the file once and checks every expected digest.
func verify(ctx context.Context, f io.ReaderAt, sums []checksum) error {
	if len(sums) == 0 {
		return nil
	}
	ws := make([]io.Writer, len(sums))
	hs := make([]interface {
		io.Writer
		Sum([]byte) []byte
	}, len(sums))
	for i, c := range sums {
		hs[i] = newHash(c.algo)
		ws[i] = hs[i]
	}
	rd := io.NewSectionReader(f, 0, 1<<62)
	if _, err := io.Copy(io.MultiWriter(ws...), ctxReader{ctx, rd}); err != nil {
		return fmt.Errorf("reading the file to verify it: %w", err)
	}
	for i, c := range sums {
		if got := hs[i].Sum(nil); string(got) != string(c.sum) {
			who := "the checksum given"
			if c.source != "given" {
				who = "the server's " + c.source
			}
			return &IntegrityError{fmt.Sprintf("checksum mismatch: the file does not match %s (%s)", who, c.algo)}
		}
	}
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
