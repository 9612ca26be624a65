package transfer

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// sideWatch is a side file that records whether its bytes are flushed.
type sideWatch struct {
	File
	mu      *sync.Mutex
	written int64 // bytes written so far
	synced  int64 // of them, flushed
}

func (w *sideWatch) WriteAt(p []byte, off int64) (int, error) {
	n, err := w.File.WriteAt(p, off)
	w.mu.Lock()
	w.written = max(w.written, off+int64(n))
	w.mu.Unlock()
	return n, err
}

func (w *sideWatch) Sync() error {
	err := w.File.Sync()
	w.mu.Lock()
	w.synced = w.written
	w.mu.Unlock()
	return err
}

// stateReporter checks, at each checkpoint, that the side file holds on
// disk every byte the state reports.
type stateReporter struct {
	memReporter
	side *sideWatch
	t    *testing.T
	n    int
}

func (r *stateReporter) Checkpoint(p []Piece, s []byte) {
	r.side.mu.Lock()
	defer r.side.mu.Unlock()
	if want := int64(len(s)); r.side.synced < want {
		r.t.Errorf("a checkpoint reports %d bytes of the side file, %d of them flushed", want, r.side.synced)
	}
	r.n++
}

// A side file is flushed by each checkpoint before it reports the state
// that counts its bytes, and only then; it is closed with the job, and
// refused when shorter than recorded.
func TestSideFilesAreFlushedWithTheCheckpoints(t *testing.T) {
	dir := t.TempDir()
	u, _ := url.Parse("http://127.0.0.1/x")
	var mu sync.Mutex
	var side *sideWatch
	env := &Env{Global: NewLimits(0, 0), Hosts: NewHostSlots(8), MinPiece: 1 << 20, WrapFile: func(f File) File {
		if st, err := f.Stat(); err == nil && st.Name() == "x.audio.part" {
			side = &sideWatch{File: f, mu: &mu}
			return side
		}
		return f
	}}
	rep := &stateReporter{memReporter: memReporter{names: map[string]bool{}}, t: t}
	j, err := newJob(env, Spec{URL: u, Dir: dir, Name: "x", Fixed: true}, rep)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "x.part"))
	if err != nil {
		t.Fatal(err)
	}
	j.useFile(f, []Piece{{Start: 0, Pos: 0, End: -1}})
	af, err := j.OpenSide(AudioPart("x"), 0)
	if err != nil {
		t.Fatal(err)
	}
	rep.side = side
	// The state here is as long as the bytes of the side file it counts.
	for i := range 5 {
		if _, err := af.WriteAt([]byte("abcd"), int64(4*i)); err != nil {
			t.Fatal(err)
		}
		j.SetState(make([]byte, 4*(i+1)))
		if i%2 == 1 {
			j.Checkpoint()
		}
	}
	if rep.n != 2 || side.synced != 16 {
		t.Errorf("%d checkpoints flushed %d bytes of the side file; want 2 and 16", rep.n, side.synced)
	}
	j.close()
	if rep.n != 3 || side.synced != 20 {
		t.Errorf("closing: %d checkpoints, %d bytes flushed; want 3 and 20", rep.n, side.synced)
	}
	if _, err := af.WriteAt([]byte("x"), 0); err == nil {
		t.Error("the side file is still open after the job closed")
	}
	j2, err := newJob(env, Spec{URL: u, Dir: dir, Name: "x", Fixed: true}, rep)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.close()
	if _, err := j2.OpenSide(AudioPart("x"), 21); !errors.Is(err, ErrChanged) {
		t.Errorf("a side file shorter than recorded opened with %v", err)
	}
}
