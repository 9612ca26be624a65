package transfer

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// A file that appeared at the final name while the download ran is never
// replaced: the download takes "NAME (1)"; with nothing in the way it
// takes NAME and leaves no .part behind.
func TestPlaceNeverReplacesAFileThatAppeared(t *testing.T) {
	checkPlaceNeverReplaces(t, t.TempDir())
}

// checkPlaceNeverReplaces places a finished file in dir twice: over a
// file that is there (it takes "NAME (1)") and at a free name; nothing is
// replaced and no .part stays.
func checkPlaceNeverReplaces(t *testing.T, dir string) {
	t.Helper()
	u, _ := url.Parse("http://127.0.0.1/report.pdf")
	j, err := newJob(&Env{}, Spec{URL: u, Dir: dir, Name: "report.pdf", Fixed: true}, &memReporter{names: map[string]bool{"report.pdf": true}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("report.pdf.part", "downloaded")
	write("report.pdf", "my own")
	got, err := j.place("report.pdf", nil)
	if err != nil || got != "report (1).pdf" {
		t.Fatalf("placed as %q (%v), want report (1).pdf", got, err)
	}
	for name, want := range map[string]string{"report.pdf": "my own", "report (1).pdf": "downloaded"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s holds %q (%v), want %q", name, b, err, want)
		}
	}
	write("other.bin.part", "x")
	if got, err := j.place("other.bin", nil); err != nil || got != "other.bin" {
		t.Errorf("a free name: placed as %q (%v)", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %v, want 3 entries (no .part left)", names)
	}
}
