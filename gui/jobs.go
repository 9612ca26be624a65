package gui

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// jobQueue is an unbounded first-in first-out queue of functions: adding
// to it never blocks the UI goroutine.
type jobQueue struct {
	mu   sync.Mutex
	jobs []func()
	wake chan struct{}
}

func newJobQueue() *jobQueue { return &jobQueue{wake: make(chan struct{}, 1)} }

func (q *jobQueue) push(f func()) {
	q.mu.Lock()
	q.jobs = append(q.jobs, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *jobQueue) pop() (func(), bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.jobs) == 0 {
		return nil, false
	}
	f := q.jobs[0]
	q.jobs[0] = nil
	q.jobs = q.jobs[1:]
	return f, true
}

// worker runs engine calls in the order they were asked for, off the UI
// goroutine: they write to disk and may take a moment.
func (u *UI) worker() {
	defer u.wg.Done()
	for {
		for f, ok := u.jobs.pop(); ok && u.ctx.Err() == nil; f, ok = u.jobs.pop() {
			f()
		}
		select {
		case <-u.ctx.Done():
			return
		case <-u.jobs.wake:
		}
	}
}

// enqueue hands f to the worker; it never blocks.
func (u *UI) enqueue(f func()) { u.jobs.push(f) }

// engineCall runs an engine call on the worker and reports its error.
func (u *UI) engineCall(what string, call func() error) {
	u.enqueue(func() {
		if err := call(); err != nil {
			u.post(func() { u.showError(fmt.Errorf("%s: %w", what, err)) })
		}
	})
}

// goJob runs job on a goroutine of its own that Close waits for.
func (u *UI) goJob(job func(ctx context.Context)) {
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		job(u.ctx)
	}()
}

// addJob runs an add of links (job) on a goroutine of its own, like
// goJob, once every engine call enqueued before it has run: an add never
// overtakes the settings saved, or the pauses asked for, before it.
func (u *UI) addJob(job func(ctx context.Context)) {
	queued := make(chan struct{})
	u.enqueue(func() { close(queued) })
	u.goJob(func(ctx context.Context) {
		u.addsWaiting.Add(1)
		select {
		case <-queued:
			u.addsWaiting.Add(-1)
		case <-ctx.Done():
			u.addsWaiting.Add(-1)
			return
		}
		job(ctx)
	})
}

// ticker says when a background job should report progress again: at
// most ten times a second.
type ticker struct{ next time.Time }

func newTicker() *ticker { return &ticker{} }

func (t *ticker) due() bool {
	now := time.Now()
	if now.Before(t.next) {
		return false
	}
	t.next = now.Add(100 * time.Millisecond)
	return true
}
