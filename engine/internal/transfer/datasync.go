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

// dataKey prefixes the folder in the key of its files' data rounds, apart
// from the folder flush rounds (dirsync.go).
const dataKey = "data\x00"

// flushFile makes every byte of f, the finished .part, durable.
func (j *Job) flushFile(f File) error {
	var own bool
	var ownErr error
	err := j.env.dirs.round(dataKey+j.spec.Dir, func(members int) error {
		if members > 1 && j.env.dirs.fsFlush(j.folderHandle()) == nil {
			return nil
		}
		own, ownErr = true, f.Sync()
		return errNotShared
	})
	switch {
	case own:
		return ownErr
	case err == nil:
		if n, ok := f.(SharedFlushNoter); ok {
			n.FlushedWithOthers()
		}
		return nil
	}
	return f.Sync() // the round's flush did not cover this file
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
