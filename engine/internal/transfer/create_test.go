package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// createPart makes a new file in the folder and nowhere else, and never
// opens what is already at the name: a file, a symbolic link (dangling
// or not), a name that leads out of the folder.
func TestCreatePartIsExclusiveAndStaysInTheFolder(t *testing.T) {
	var o openDirs
	base := t.TempDir()
	path := filepath.Join(base, "dl")
	d, err := o.open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer o.close(d)
	f, err := createPart(d, "a.part")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("new"), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if b, err := os.ReadFile(filepath.Join(path, "a.part")); err != nil || string(b) != "new" {
		t.Fatalf("the new file holds %q (%v)", b, err)
	}
	if _, err := createPart(d, "a.part"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a second create of a.part: %v, want ErrExist", err)
	}
	outside := filepath.Join(base, "outside")
	if err := os.WriteFile(outside, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, to := range map[string]string{"l.part": outside, "dangling.part": filepath.Join(base, "nothing")} {
		if err := os.Symlink(to, filepath.Join(path, link)); err != nil {
			t.Fatal(err)
		}
		if f, err := createPart(d, link); !errors.Is(err, fs.ErrExist) {
			t.Errorf("%s, a link: %v, want ErrExist", link, err)
			if f != nil {
				f.Close()
			}
		}
	}
	if _, err := os.Stat(filepath.Join(base, "nothing")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a file was made where a dangling link points")
	}
	if f, err := createPart(d, "../escape.part"); err == nil {
		f.Close()
		t.Error("a name leading out of the folder was created")
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Errorf("the file outside was changed: %q", b)
	}
}
