package transfer

import "errors"

// Group commit of finished files' bytes. A finished .part is flushed
// before it gets its final name; on a disk where each flush costs a trip
// to the device (and on a virtual machine, to the host's disk), a
// thousand small files finishing at once cost a thousand flushes one
// after another. Files that finish while an earlier flush runs share the
// next one instead: a single flush of the whole file system (syncfs on
// Linux) writes all of their bytes, and is over when every one of them is
// on disk.
//
// A file alone in its round flushes only itself (fsync), as do all of a
// round's files when the shared flush cannot be used: on systems without
// syncfs, when much unrelated data waits to be written (a shared flush
// would write it all first: see syncFS), or when it fails, so that each
// file gets its own answer.

// errNotShared tells a round's members that its flush covered only its
// leader's file.
var errNotShared = errors.New("the flush covered one file only")

// errBusyCache says a shared flush was not tried: much data waits to be
// written (see syncFS).
var errBusyCache = errors.New("too much data waits to be written for a shared flush")

// flushFile makes every byte of f, the finished .part, durable.
func (j *Job) flushFile(f File) error {
	shared, err := j.flush(f.Sync, false)
	if shared {
		if n, ok := f.(SharedFlushNoter); ok {
			n.FlushedWithOthers()
		}
	}
	return err
}

// flush makes durable what the job did in its folder so far, with the
// next round of the folder's flushes: a flush of the whole file system
// shared with the other files of the round, or own, the job's own flush
// (of its file, or, when folder is set, of the folder). shared says the
// round's flush did it. When the round cannot flush the whole file
// system, its leader still flushes the folder once for every call of the
// round that asked for the folder (that flush starts after all of them
// came, so it makes every name they placed durable); only the files flush
// themselves one by one.
func (j *Job) flush(own func() error, folder bool) (shared bool, err error) {
	var mine bool
	var ownErr error
	r, err := j.env.dirs.round(j.spec.Dir, folder, func(r *syncRound) error {
		if r.members > 1 && j.env.dirs.fsFlush(j.folderHandle()) == nil {
			return nil
		}
		if r.folders > 0 {
			r.folderErr, r.folderFlushed = j.syncDir(), true
		}
		mine, ownErr = true, r.folderErr
		if !folder {
			ownErr = own()
		}
		return errNotShared
	})
	switch {
	case mine:
		return false, ownErr
	case err == nil:
		return true, nil
	case folder && r.folderFlushed:
		return false, r.folderErr // the round's flush of the folder
	}
	return false, own() // the round's flush did not cover this job
}

// SharedFlushNoter is a File told when a shared flush, not its own Sync,
// made its bytes durable (optional; tests that check every file was
// flushed before it got its name count it as a Sync).
type SharedFlushNoter interface {
	FlushedWithOthers()
}

// fsFlush flushes the file system of d for all the files of a round.
func (d *dirSyncs) fsFlush(od *openDir) error {
	if d.flushFS != nil {
		return d.flushFS(od)
	}
	return syncFS(od)
}

// folderHandle is the open download folder of the job.
func (j *Job) folderHandle() *openDir {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.dir
}
