package engine

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestThePartialFileTakesTheFreeNameFromTheStart: with report.pdf already
// in the folder, the download writes "report (1).pdf.part" from its first
// byte (the fast path that reserves a free name without asking
// safename.Unique must see the file that is there), and ends as
// "report (1).pdf" with the old file untouched.
func TestThePartialFileTakesTheFreeNameFromTheStart(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(256 << 10)
	release := make(chan struct{})
	srv.Add("/report.pdf", data, testserver.Hold(64<<10, release))
	e := newEnv(t)
	os.MkdirAll(e.dl, 0o755)
	mine := filepath.Join(e.dl, "report.pdf")
	if err := os.WriteFile(mine, []byte("my own"), 0o644); err != nil {
		t.Fatal(err)
	}
	id := e.add(srv.URL("/report.pdf"))
	e.waitFor(id, "the first bytes", func(s Snapshot) bool { return s.Received > 0 })
	if files := e.files(); !slices.Contains(files, "report (1).pdf"+partSuffix) {
		t.Errorf("while downloading, the folder holds %v; want report (1).pdf.part", files)
	}
	close(release)
	if s := e.mustComplete(id, data); s.Name != "report (1).pdf" {
		t.Errorf("saved as %q", s.Name)
	}
	if got, _ := os.ReadFile(mine); string(got) != "my own" {
		t.Errorf("existing file changed: %q", got)
	}
}
