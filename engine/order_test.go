package engine

import (
	"errors"
	"slices"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// queueEnv runs a (held) with one download at once and queues b, c, d
// behind it; each is held on the server once it starts, until release.
func queueEnv(t *testing.T) (e *env, a string, queued []string, release func()) {
	t.Helper()
	srv := testserver.New()
	t.Cleanup(srv.Close)
	ch := make(chan struct{})
	for i, p := range []string{"/a.bin", "/b.bin", "/c.bin", "/d.bin"} {
		srv.Add(p, testserver.Content(1<<20, uint64(i+1)), testserver.Hold(1000, ch))
	}
	e = newEnv(t, func(o *Options) { o.MaxActive = 1 })
	a = e.add(srv.URL("/a.bin"))
	e.waitFor(a, "a to run", func(s Snapshot) bool { return s.State == Active })
	for _, p := range []string{"/b.bin", "/c.bin", "/d.bin"} {
		queued = append(queued, e.add(srv.URL(p)))
	}
	var once bool
	release = func() {
		if !once {
			once = true
			close(ch)
		}
	}
	t.Cleanup(release)
	return e, a, queued, release
}

// listOrder returns the IDs of List, in order, and checks that their
// Seq rises along it.
func listOrder(t *testing.T, m *Manager) []string {
	t.Helper()
	var ids []string
	var last int64 = -1
	for _, s := range m.List() {
		if s.Seq <= last {
			t.Errorf("Seq %d after %d: the list is not in Seq order", s.Seq, last)
		}
		last = s.Seq
		ids = append(ids, s.ID)
	}
	return ids
}

func TestMoveToTopStartsThatDownloadNext(t *testing.T) {
	e, a, q, release := queueEnv(t)
	b, c, d := q[0], q[1], q[2]
	if err := e.m.Move(d, MoveTop); err != nil {
		t.Fatal(err)
	}
	if got, want := listOrder(t, e.m), []string{a, d, b, c}; !slices.Equal(got, want) {
		t.Fatalf("order after moving d to the top: %v, want %v", got, want)
	}
	if err := e.m.Cancel(a); err != nil { // frees the one slot
		t.Fatal(err)
	}
	e.waitFor(d, "d to start next", func(s Snapshot) bool { return s.State == Active })
	for _, id := range []string{b, c} {
		if s, _ := e.m.Get(id); s.State != Queued {
			t.Errorf("%s is %v; d was moved ahead of it", s.Name, s.State)
		}
	}
	release()
}

func TestMoveUpDownAndBottom(t *testing.T) {
	e, a, q, _ := queueEnv(t)
	b, c, d := q[0], q[1], q[2]
	steps := []struct {
		id   string
		to   Position
		want []string
	}{
		{c, MoveUp, []string{a, c, b, d}},
		{c, MoveDown, []string{a, b, c, d}},
		{b, MoveBottom, []string{a, c, d, b}},
		{b, MoveDown, []string{a, c, d, b}}, // the last queued: no-op
		{b, MoveBottom, []string{a, c, d, b}},
		{c, MoveUp, []string{a, c, d, b}}, // the first queued (a runs): no-op
		{c, MoveTop, []string{a, c, d, b}},
	}
	for _, st := range steps {
		if err := e.m.Move(st.id, st.to); err != nil {
			t.Fatalf("Move(%v): %v", st.to, err)
		}
		if got := listOrder(t, e.m); !slices.Equal(got, st.want) {
			t.Fatalf("after Move(%v): %v, want %v", st.to, got, st.want)
		}
	}
}

func TestMoveRefusesADownloadThatIsNotQueued(t *testing.T) {
	e, a, q, _ := queueEnv(t)
	if err := e.m.Move(a, MoveBottom); !errors.Is(err, ErrNotQueued) {
		t.Errorf("moving the active download: %v, want ErrNotQueued", err)
	}
	if err := e.m.Pause(q[0]); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Move(q[0], MoveTop); !errors.Is(err, ErrNotQueued) {
		t.Errorf("moving a paused download: %v, want ErrNotQueued", err)
	}
	if err := e.m.Move("nope", MoveTop); !errors.Is(err, ErrNotFound) {
		t.Errorf("moving an unknown download: %v, want ErrNotFound", err)
	}
	if err := e.m.Move(q[1], Position(9)); err == nil {
		t.Error("an unknown position was accepted")
	}
	if got, want := listOrder(t, e.m), append([]string{a}, q...); !slices.Equal(got, want) {
		t.Errorf("refused moves changed the order: %v, want %v", got, want)
	}
}

func TestQueueOrderSurvivesARestart(t *testing.T) {
	e, a, q, _ := queueEnv(t)
	b, c, d := q[0], q[1], q[2]
	if err := e.m.Move(d, MoveTop); err != nil {
		t.Fatal(err)
	}
	want := []string{a, d, b, c}
	e.reopen()
	if got := listOrder(t, e.m); !slices.Equal(got, want) {
		t.Fatalf("order after a restart: %v, want %v", got, want)
	}
}
