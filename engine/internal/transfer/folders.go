package transfer

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// Open download folders, shared by the transfers that use them. Each
// transfer used to create and open its folder, and each folder flush to
// open it again; with many small files at once those opens and closes
// were a good part of the system calls per file. A folder stays open while
// some transfer uses it and is closed when the last one ends.
//
// A transfer that starts checks that the folder at the path is still the
// one held open (same device and inode): a folder deleted, or replaced by
// another, since is opened anew, so that no new file ever goes into a
// folder that is no longer at its path. Transfers already running keep
// theirs, as they did with a folder of their own (the checkpoint ticker
// stops them when it is gone: see checkpointEvery).

// openDir is one open download folder.
type openDir struct {
	path string
	root *os.Root    // for the files in it, never outside it
	dir  *os.File    // the folder itself: flushes (and renames, on Linux)
	info os.FileInfo // of dir when opened: its identity
	uses int         // transfers using it; guarded by openDirs.mu
}

// openDirs is the folders open for an Env's transfers. The zero value is
// ready to use.
type openDirs struct {
	mu sync.Mutex
	m  map[string]*openDir
}

// open returns path's open folder, creating the folder if needed; release
// it with close.
func (o *openDirs) open(path string) (*openDir, error) {
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		o.mu.Lock()
		if d := o.m[path]; d != nil && os.SameFile(d.info, st) {
			d.uses++
			o.mu.Unlock()
			return d, nil
		}
		o.mu.Unlock()
	}
	if err != nil || !st.IsDir() {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, &folderError{creating: true, err: err}
		}
	}
	d, err := openDirAt(path)
	if err != nil {
		return nil, &folderError{err: err}
	}
	o.mu.Lock()
	if o.m == nil {
		o.m = map[string]*openDir{}
	}
	// A folder opened meanwhile by another transfer, or an old one no
	// longer at the path, stays open for its users; new ones get d.
	if cur := o.m[path]; cur != nil && os.SameFile(cur.info, d.info) {
		cur.uses++
		o.mu.Unlock()
		d.closeFiles()
		return cur, nil
	}
	o.m[path] = d
	o.mu.Unlock()
	return d, nil
}

// close gives d back; the last user closes it.
func (o *openDirs) close(d *openDir) {
	o.mu.Lock()
	d.uses--
	last := d.uses == 0
	if last && o.m[d.path] == d {
		delete(o.m, d.path)
	}
	o.mu.Unlock()
	if last {
		d.closeFiles()
	}
}

// folderError is a folder that could not be created or opened.
type folderError struct {
	creating bool // the folder could not be created
	err      error
}

func (e *folderError) Error() string { return e.err.Error() }
func (e *folderError) Unwrap() error { return e.err }

// describe says what failed, for a folder named what: "creating the
// download folder: ..." or "opening ...".
func (e *folderError) describe(what string) error {
	verb := "opening"
	if e.creating {
		verb = "creating"
	}
	return fmt.Errorf("%s %s: %w", verb, what, e.err)
}

// folderErr is err from openDirs.open, described for a folder named what.
func folderErr(err error, what string) error {
	var fe *folderError
	if errors.As(err, &fe) {
		return fe.describe(what)
	}
	return fmt.Errorf("opening %s: %w", what, err)
}

func openDirAt(path string) (*openDir, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	dir, err := root.Open(".")
	if err != nil {
		root.Close()
		return nil, err
	}
	info, err := dir.Stat()
	if err != nil {
		dir.Close()
		root.Close()
		return nil, fmt.Errorf("checking the folder: %w", err)
	}
	return &openDir{path: path, root: root, dir: dir, info: info, uses: 1}, nil
}

func (d *openDir) closeFiles() {
	d.dir.Close()
	d.root.Close()
}
