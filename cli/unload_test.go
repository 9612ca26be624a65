package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine"
)

// TestLongInputLeavesOnlyWhatIsStillToComeInMemory: a run over an -i
// input unloads each download of the input once it has reported it
// complete (a million-line list must not keep every finished download in
// memory), keeps the one given as an argument, and every record stays in
// the store, so that the window and the next run list them all.
func TestLongInputLeavesOnlyWhatIsStillToComeInMemory(t *testing.T) {
	srv := newFileServer(t)
	base := t.TempDir()
	state, dir := filepath.Join(base, "state"), filepath.Join(base, "out")
	var list strings.Builder
	for i := range 20 {
		list.WriteString(srv.add(fmt.Sprintf("/long/f%02d.dat", i), pattern(3000+i, byte(i))) + "\n")
	}
	arg := srv.add("/long/arg.dat", pattern(500, 99))
	list.WriteString(arg + "\n") // the input names the argument's link again

	opt := engine.Options{StateDir: state, DefaultDir: dir, MaxActive: 3, HoldRestored: true}
	m, err := engine.Open(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	given, err := argumentLinks([]string{arg})
	if err != nil {
		t.Fatal(err)
	}
	in := &input{name: "links.txt", r: strings.NewReader(list.String()), size: -1}
	v := newView(io.Discard, io.Discard, modePlain, false, false, func() (int, int) { return 80, 24 })
	if code := newSession(m, config{Dir: dir, Jobs: 3}, in, given, v).run(context.Background()); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if left := m.List(); len(left) != 1 || left[0].URL != arg {
		var names []string
		for _, s := range left {
			names = append(names, s.Name)
		}
		t.Errorf("in memory after the run: %v; want only arg.dat, the argument's", names)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if m, err = engine.Open(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	all := m.List()
	for _, s := range all {
		if s.State != engine.Completed {
			t.Errorf("%s: %v after reopening", s.Name, s.State)
		}
	}
	if len(all) != 21 {
		t.Errorf("the store lists %d downloads, want 21 (one each)", len(all))
	}
	for i := range 20 {
		assertFile(t, filepath.Join(dir, fmt.Sprintf("f%02d.dat", i)), pattern(3000+i, byte(i)))
	}
}
