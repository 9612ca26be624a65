package engine

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// syncWatch records, for one .part file, whether bytes were written after
// its last flush and whether its final name existed when it was flushed.
type syncWatch struct {
	partFile
	dir, final string

	mu          sync.Mutex
	dirty       bool // written since the last Sync
	syncs       int
	placedFirst bool // the final name existed at a Sync
}

func (w *syncWatch) WriteAt(p []byte, off int64) (int, error) {
	w.mu.Lock()
	w.dirty = true
	w.mu.Unlock()
	return w.partFile.WriteAt(p, off)
}

func (w *syncWatch) Sync() error { return w.flushed(w.partFile.Sync()) }

// FlushedWithOthers: a flush of the whole file system covered the file
// (see transfer.SharedFlushNoter).
func (w *syncWatch) FlushedWithOthers() { _ = w.flushed(nil) }

func (w *syncWatch) flushed(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.dirty = false
		w.syncs++
	}
	if _, serr := os.Lstat(filepath.Join(w.dir, w.final)); serr == nil {
		w.placedFirst = true
	}
	return err
}

// A file appears under its final name only after every byte of it was
// flushed, also when many small files finish at once (group commit).
func TestFilesAreFlushedBeforeTheyGetTheirNames(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const n = 40
	data := randomBytes(64 << 10)
	numbered(srv, n, data)
	e := newEnv(t, func(o *Options) { o.MaxActive = 16; o.PerHost = 16 })
	var mu sync.Mutex
	var watches []*syncWatch
	e.m.wrapFile = func(f partFile) partFile {
		st, err := f.Stat()
		if err != nil {
			return f
		}
		w := &syncWatch{partFile: f, dir: e.dl, final: strings.TrimSuffix(st.Name(), ".part")}
		mu.Lock()
		watches = append(watches, w)
		mu.Unlock()
		return w
	}
	e.completeNumbered(srv, n, data)
	mu.Lock()
	defer mu.Unlock()
	if len(watches) != n {
		t.Fatalf("%d files watched, want %d", len(watches), n)
	}
	for _, w := range watches {
		if w.dirty || w.syncs == 0 {
			t.Errorf("%s: written after its last flush (%d flushes)", w.final, w.syncs)
		}
		if w.placedFirst {
			t.Errorf("%s: its final name existed before it was flushed", w.final)
		}
	}
}
