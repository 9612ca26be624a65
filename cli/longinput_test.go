package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An input file too long to check within checkBudget is downloaded while
// it is read: every link is still fetched, and its mistakes are still
// reported, with their line numbers.
func TestGetLongListStartsBeforeItIsChecked(t *testing.T) {
	old := checkBudget
	checkBudget = 5 * time.Millisecond // cut short, some way into the file
	defer func() { checkBudget = old }()
	srv := newFileServer(t)
	iv := newInvocation(t)
	a, b := pattern(1000, 1), pattern(2000, 2)
	ua, ub := srv.add("/a.bin", a), srv.add("/b.bin", b)
	var list strings.Builder
	list.WriteString(ub + "\n") // read again from the start after the cut
	for range 200000 {          // duplicates: read, never downloaded twice
		list.WriteString(ua + "\n")
	}
	list.WriteString("ftp://example.org/file\n")
	links := writeFile(t, t.TempDir(), "links.txt", list.String())
	stdout, stderr, code := iv.get("-i", links)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1 (a rejected line)\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	assertFile(t, filepath.Join(iv.dir, "a.bin"), a)
	assertFile(t, filepath.Join(iv.dir, "b.bin"), b)
	if want := links + ":200002: "; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
