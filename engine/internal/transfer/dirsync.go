package transfer

import "sync"

// Group commit of flushes. A finished file is flushed, put under its
// final name, and then its folder is flushed so the name itself survives
// a crash. When many small files finish at once, one flush can cover many
// of them: a flush that starts after a file was written (or placed) makes
// its bytes (or its name) durable. dirSyncs runs at most one flush per
// folder at a time, in rounds: the calls that come while one runs are the
// next round, and share its flush (datasync.go says which flush that is).

// dirSyncs coordinates the flushes of all transfers of one Env.
// The zero value is ready to use.
type dirSyncs struct {
	mu sync.Mutex
	m  map[string]*dirQueue

	open openDirs // the folders open for transfers (see folders.go)

	// flushFS, when set, replaces syncFS for the shared flush of finished
	// files (tests count and fail it; see datasync.go).
	flushFS func(*openDir) error
	// syncDir, when set, replaces the flush of a folder by itself (tests
	// fail it; see Job.syncDir).
	syncDir func(*openDir) error
}

// dirQueue is one folder's flushes: the round running, and the next one
// that new requests join.
type dirQueue struct {
	running *syncRound
	next    *syncRound
}

type syncRound struct {
	done    chan struct{}
	err     error
	members int // calls the round answers, its leader's included
	folders int // of those, the calls that flush the folder (names placed)

	// folderErr is the outcome of the one flush of the folder that
	// answered all of them, when folderFlushed (see Job.flush).
	folderErr     error
	folderFlushed bool
}

// round flushes dir by calling flush, or waits for a flush of dir that
// starts after this call: either way, when it returns, everything done in
// dir before the call is durable (if the flush succeeded). One caller of
// each round calls flush, with the round (how many calls it answers, and
// how many of them flush the folder: folder says this call does); its
// error is every member's, and the round is returned to every member.
func (d *dirSyncs) round(dir string, folder bool, flush func(r *syncRound) error) (*syncRound, error) {
	d.mu.Lock()
	if d.m == nil {
		d.m = map[string]*dirQueue{}
	}
	q := d.m[dir]
	if q == nil {
		q = &dirQueue{}
		d.m[dir] = q
	}
	if q.next != nil { // a round not started yet: join it
		r := q.next
		r.members++
		if folder {
			r.folders++
		}
		d.mu.Unlock()
		<-r.done
		return r, r.err
	}
	// Lead a new round, after the running one (which may have started
	// before this call) ends.
	r := &syncRound{done: make(chan struct{}), members: 1}
	if folder {
		r.folders = 1
	}
	q.next = r
	prev := q.running
	d.mu.Unlock()
	if prev != nil {
		<-prev.done
	}
	d.mu.Lock()
	q.next, q.running = nil, r // from now on, newcomers form the next round
	d.mu.Unlock()
	r.err = flush(r)
	close(r.done)
	d.mu.Lock()
	if q.running == r {
		q.running = nil
		if q.next == nil {
			delete(d.m, dir)
		}
	}
	d.mu.Unlock()
	return r, r.err
}
