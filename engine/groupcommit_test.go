package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// committed reads the records the store holds now (what a crash would
// leave), by ID.
func committed(t *testing.T, m *Manager) (map[string]record, error) {
	entries, err := m.store.Load()
	if err != nil {
		return nil, err
	}
	recs := make(map[string]record, len(entries))
	for _, en := range entries {
		var r record
		if err := json.Unmarshal(en.Data, &r); err != nil {
			return nil, fmt.Errorf("record %s: %w", en.ID, err)
		}
		recs[en.ID] = r
	}
	return recs, nil
}

// TestWaitersShareOneCommitWithoutTheGap: records someone waits for
// (reporter.Placing) are a group commit. Those queued while a commit
// runs all go into the next one, one transaction for all of them, and
// that commit does not wait out the gap between the saver's commits
// (here an hour): the waiters are released by the commit itself, which
// holds every record they queued.
func TestWaitersShareOneCommitWithoutTheGap(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.saveGap = time.Hour })
	const n = 16
	var ids []string
	for i := range n {
		ids = append(ids, e.add(fmt.Sprintf("http://127.0.0.1:1/f%02d.bin", i), func(r *Request) { r.Paused = true }))
	}
	e.m.saveMu.Lock() // as if a commit were running
	before := e.m.commits.Load()
	chans := make([]<-chan struct{}, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			e.m.mu.Lock()
			d := e.m.byID[id]
			d.placing = fmt.Sprintf("f%02d.bin", i)
			chans[i] = e.m.waitSavedLocked(d)
			e.m.mu.Unlock()
		})
	}
	wg.Wait() // every record is queued
	e.m.saveMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, ch := range chans {
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("waiter %d was not released by a commit (the gap is an hour)", i)
		}
	}
	if got := e.m.commits.Load() - before; got != 1 {
		t.Errorf("%d commits for %d waiters queued while one ran, want 1", got, n)
	}
	recs, err := committed(t, e.m)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("f%02d.bin", i); recs[id].Placing != want {
			t.Errorf("%s: committed placing %q when its waiter was released, want %q", id, recs[id].Placing, want)
		}
	}
}

// TestPlacingIsCommittedBeforeEachRename: many small files finishing at
// once share commits, and still every file that has its final name is
// accounted for by a committed record, the one saying where it was
// going (placing) or its completion. Checked right after each rename,
// with commits nobody waits for an hour apart, so only the commits the
// placing waits for can have written them.
func TestPlacingIsCommittedBeforeEachRename(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const n = 40
	data := randomBytes(64 << 10)
	numbered(srv, n, data)
	e := newEnv(t, func(o *Options) { o.MaxActive, o.PerHost, o.saveGap = 16, 16, time.Hour })
	var mu sync.Mutex
	problems := map[string]bool{}
	renames := 0
	e.m.env.Hook = func(point string) {
		if point != "placed" {
			return
		}
		// Every name in the folder, then the records: a rename after the
		// listing cannot make a name look unaccounted for.
		entries, err := os.ReadDir(e.dl)
		if err != nil {
			t.Error(err)
			return
		}
		recs, err := committed(t, e.m)
		if err != nil {
			t.Error(err)
			return
		}
		covered := map[string]bool{}
		for _, r := range recs {
			if r.Placing != "" {
				covered[r.Placing] = true
			}
			if r.State == Completed.String() {
				covered[r.Name] = true
			}
		}
		mu.Lock()
		defer mu.Unlock()
		renames++
		for _, en := range entries {
			if name := en.Name(); !strings.HasSuffix(name, ".part") && !covered[name] {
				problems[name] = true
			}
		}
	}
	e.completeNumbered(srv, n, data)
	mu.Lock()
	defer mu.Unlock()
	if renames != n {
		t.Fatalf("%d renames seen, want %d", renames, n)
	}
	if len(problems) > 0 {
		t.Errorf("files under their final names with no committed record of it: %v", slices.Sorted(maps.Keys(problems)))
	}
}
