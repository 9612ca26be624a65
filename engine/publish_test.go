package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestPublishTakesOnlyWhatChangedInListOrder: a publish holds the
// removals, then exactly the downloads changed since the last one, in
// the list's order (whatever order they changed in),
// and never a download removed since it changed.
func TestPublishTakesOnlyWhatChangedInListOrder(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.PublishInterval = time.Hour })
	var ids []string
	for i := range 10 {
		ids = append(ids, e.add(fmt.Sprintf("http://127.0.0.1:1/f%d.bin", i), func(r *Request) { r.Paused = true }))
	}
	m := e.m
	m.mu.Lock()
	defer m.mu.Unlock()
	m.changesLocked(time.Now()) // what the adds changed
	if again := m.changesLocked(time.Now()); len(again) != 0 {
		t.Fatalf("a second publish with no change in between holds %d downloads", len(again))
	}
	for _, i := range []int{5, 2, 7, 3} {
		m.touch(m.byID[ids[i]])
	}
	m.unlistLocked(m.byID[ids[3]]) // what Remove does to the list
	var got []string
	for _, s := range m.changesLocked(time.Now()) {
		got = append(got, fmt.Sprintf("%s removed=%v", s.ID, s.Removed))
	}
	want := []string{ids[3] + " removed=true", ids[2] + " removed=false", ids[5] + " removed=false", ids[7] + " removed=false"}
	if !slices.Equal(got, want) {
		t.Errorf("published\n%q\nwant (the removal, then the list's order)\n%q", got, want)
	}
}
