package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// storedStates reads the state of every record in the store, as a reopen
// would find it.
func storedStates(t *testing.T, m *Manager) map[string]string {
	t.Helper()
	ents, err := m.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, e := range ents {
		var r struct {
			State string `json:"state"`
		}
		if err := json.Unmarshal(e.Data, &r); err != nil {
			t.Fatal(err)
		}
		states[e.ID] = r.State
	}
	return states
}

// TestCompletionIsReportedOnlyOnceItsRecordIsWritten holds the store's
// writer while files finish: their final names appear on disk, but no
// subscriber may hear that a download is complete before the store holds
// its Completed record (a crash right after the report would otherwise
// reopen it as unfinished). Once the writer runs, every completion
// reported is already in the store.
func TestCompletionIsReportedOnlyOnceItsRecordIsWritten(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const n = 8
	data := randomBytes(64 << 10)
	e := newEnv(t)
	sub := e.m.Subscribe()
	defer sub.Close()
	<-sub.C() // the (empty) list

	e.m.saveMu.Lock() // the saver cannot write any batch
	locked := true
	defer func() {
		if locked {
			e.m.saveMu.Unlock()
		}
	}()
	for i := range n {
		p := fmt.Sprintf("/f%d.bin", i)
		srv.Add(p, data)
		e.add(srv.URL(p))
	}
	check := func(batch []Snapshot, held bool) int {
		done := 0
		for _, s := range batch {
			if s.State != Completed {
				continue
			}
			if held {
				t.Fatalf("%s was reported complete while the store could not hold its record", s.Name)
			}
			if st := storedStates(t, e.m)[s.ID]; st != Completed.String() {
				t.Fatalf("%s was reported complete while its stored state is %q", s.Name, st)
			}
			done++
		}
		return done
	}
	// Wait until every file has its final name on disk.
	deadline := time.After(30 * time.Second)
	for placed := 0; placed < n; {
		select {
		case batch := <-sub.C():
			check(batch, true)
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the files never got their names: %v", e.files())
		}
		placed = 0
		for _, f := range e.files() {
			if !strings.HasSuffix(f, partSuffix) {
				placed++
			}
		}
	}
	// A little longer: a publish that was about to go out goes out.
	for end := time.After(100 * time.Millisecond); ; {
		select {
		case batch := <-sub.C():
			check(batch, true)
			continue
		case <-end:
		}
		break
	}

	e.m.saveMu.Unlock()
	locked = false
	for done := 0; done < n; {
		select {
		case batch := <-sub.C():
			done += check(batch, false)
		case <-deadline:
			t.Fatalf("only %d of %d downloads were reported complete", done, n)
		}
	}
}
