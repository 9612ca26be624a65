package transfer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Transfers in one folder share one open folder while any uses it; a
// folder deleted and made again at the same path is opened anew, so a new
// file never goes into the deleted one.
func TestOpenFoldersAreSharedUntilReplaced(t *testing.T) {
	var o openDirs
	path := filepath.Join(t.TempDir(), "dl")
	a, err := o.open(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.open(path)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("two transfers in one folder opened it twice")
	}
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o755); err != nil { // another folder at the path
		t.Fatal(err)
	}
	c, err := o.open(path)
	if err != nil {
		t.Fatal(err)
	}
	if c == a {
		t.Fatal("the deleted folder was handed out for the new one at its path")
	}
	f, err := c.root.Create("x")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := os.Stat(filepath.Join(path, "x")); err != nil {
		t.Errorf("a file made through the new handle is not in the folder: %v", err)
	}
	if err := c.dir.Sync(); err != nil {
		t.Errorf("flushing the folder: %v", err)
	}
	// The old handle stays usable for its users until the last lets go.
	o.close(a)
	if _, err := b.dir.Stat(); err != nil {
		t.Errorf("closed while still in use: %v", err)
	}
	o.close(b)
	if _, err := b.dir.Stat(); err == nil {
		t.Error("the old folder stayed open after its last user")
	}
	o.close(c)
	if len(o.m) != 0 {
		t.Errorf("%d folders still listed after every user left", len(o.m))
	}
}

// A folder that cannot be made says so, as before folders were shared.
func TestAFolderThatCannotBeMadeSaysSo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var o openDirs
	_, err := o.open(filepath.Join(file, "dl"))
	if err == nil {
		t.Fatal("a folder under a file was opened")
	}
	if got := folderErr(err, "the download folder").Error(); !strings.HasPrefix(got, "creating the download folder: ") {
		t.Errorf("error %q, want it to start with \"creating the download folder: \"", got)
	}
}
