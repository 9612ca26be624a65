package transfer

import (
	"errors"
	"fmt"
	"os"
)

// side is a file a protocol writes beside the .part file (HLS's or
// DASH's separate audio): flushed with every checkpoint, before the state
// that counts its bytes is reported, and closed with the job.
type side struct {
	name string
	file File
}

// OpenSide opens (creating it) the side file name in the download's
// folder, cut to size bytes; it fails with ErrChanged when the file is
// shorter than that. The job keeps it open and flushes it at each
// checkpoint with the .part file, so the State set after a write never
// claims a byte of it that is not on disk; CloseSide (or the end of the
// transfer) closes it. Opening an open side file again returns it.
func (j *Job) OpenSide(name string, size int64) (File, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, s := range j.sides {
		if s.name == name {
			return s.file, j.cutSide(s.file, name, size)
		}
	}
	f, err := j.root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	w := j.wrap(f)
	if err := j.cutSide(w, name, size); err != nil {
		w.Close()
		return nil, err
	}
	j.sides = append(j.sides, side{name, w})
	return w, nil
}

// cutSide truncates f to size, refusing to grow it.
func (j *Job) cutSide(f File, name string, size int64) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking %s: %w", name, err)
	}
	if fi.Size() < size {
		return fmt.Errorf("%s is shorter than recorded: %w", name, ErrChanged)
	}
	t, ok := f.(interface{ Truncate(int64) error })
	if !ok {
		return nil // a test's wrapper: the size checked is enough
	}
	if err := t.Truncate(size); err != nil {
		return fmt.Errorf("truncating %s: %w", name, err)
	}
	return nil
}

// CloseSide flushes and closes the side file name, if open: what a
// protocol does before it renames or reads the file.
func (j *Job) CloseSide(name string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i, s := range j.sides {
		if s.name == name {
			j.sides = append(j.sides[:i], j.sides[i+1:]...)
			err := s.file.Sync()
			if cerr := s.file.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("flushing %s: %w", name, err)
			}
			return nil
		}
	}
	return nil
}

// syncSides flushes the side files given (and with closing closes
// them); called by checkpoint outside j.mu.
func syncSides(sides []side, closing bool) error {
	var errs []error
	for _, s := range sides {
		if err := s.file.Sync(); err != nil {
			errs = append(errs, fmt.Errorf("flushing %s: %w", s.name, err))
		}
		if closing {
			s.file.Close()
		}
	}
	return errors.Join(errs...)
}
