package transfer

import "sync"

// Group commit of folder flushes. A finished file is flushed (fsync), put
// under its final name, and then its folder is flushed so the name itself
// survives a crash. When many small files finish at once, one folder flush
// can cover all of them: a flush that starts after a file was placed makes
// that file's name durable. dirSyncs runs at most one flush per folder at a
// time; files placed while one runs share the next one.

// dirSyncs coordinates the folder flushes of all transfers of one Env.
// The zero value is ready to use.
type dirSyncs struct {
	mu sync.Mutex
	m  map[string]*dirQueue

	open openDirs // the folders open for transfers (see folders.go)

	// flushFS, when set, replaces syncFS for the shared flush of finished
	// files (tests count and fail it; see datasync.go).
	flushFS func(*openDir) error
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
}

// sync flushes dir by calling flush, or waits for a flush of dir that
// starts after this call: either way, when it returns, everything done in
// dir before the call is durable (if the flush succeeded). It returns the
// flush's error.
func (d *dirSyncs) sync(dir string, flush func() error) error {
	return d.round(dir, func(int) error { return flush() })
}

// round is sync for any key: flush is called by one caller of a round,
// with the number of calls the round answers, and its error is every
// member's.
func (d *dirSyncs) round(dir string, flush func(members int) error) error {
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
		d.mu.Unlock()
		<-r.done
		return r.err
	}
	// Lead a new round, after the running one (which may have started
	// before this call) ends.
	r := &syncRound{done: make(chan struct{}), members: 1}
	q.next = r
	prev := q.running
	d.mu.Unlock()
	if prev != nil {
		<-prev.done
	}
	d.mu.Lock()
	q.next, q.running = nil, r // from now on, newcomers form the next round
	members := r.members
	d.mu.Unlock()
	r.err = flush(members)
	close(r.done)
	d.mu.Lock()
	if q.running == r {
		q.running = nil
		if q.next == nil {
			delete(d.m, dir)
		}
	}
	d.mu.Unlock()
	return r.err
}
