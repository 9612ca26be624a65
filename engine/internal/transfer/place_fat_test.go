package transfer

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Each way of moving a file without replacing one moves it to a free
// name, and refuses a taken name with fs.ErrExist, changing nothing. A
// way the folder's file system lacks says errors.ErrUnsupported.
func TestEveryWayOfPlacingNeverReplaces(t *testing.T) {
	ways := map[string]func(*openDir, string, string) error{
		"renameat2":   renameNoReplace,
		"link":        linkThenRemove,
		"placeholder": placeholderThenRename,
		"any":         moveNoReplace,
	}
	for name, move := range ways {
		t.Run(name, func(t *testing.T) {
			var dirs openDirs
			path := t.TempDir()
			d, err := dirs.open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer dirs.close(d)
			write := func(name, s string) {
				if err := os.WriteFile(filepath.Join(path, name), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			read := func(name string) string {
				b, err := os.ReadFile(filepath.Join(path, name))
				if err != nil {
					return "(" + err.Error() + ")"
				}
				return string(b)
			}
			write("a.part", "downloaded")
			write("taken", "my own")
			err = move(d, "a.part", "taken")
			if errors.Is(err, errors.ErrUnsupported) {
				t.Skipf("%s: not on this file system", name)
			}
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("onto a taken name: %v, want fs.ErrExist", err)
			}
			if got := read("taken"); got != "my own" {
				t.Errorf("the taken name holds %q", got)
			}
			if got := read("a.part"); got != "downloaded" {
				t.Errorf("the moved file holds %q after a refused move", got)
			}
			if err := move(d, "a.part", "free"); err != nil {
				t.Fatalf("onto a free name: %v", err)
			}
			if got := read("free"); got != "downloaded" {
				t.Errorf("the free name holds %q", got)
			}
			if _, err := os.Lstat(filepath.Join(path, "a.part")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the .part is still there: %v", err)
			}
		})
	}
}

// mountVfat mounts a new vfat image and returns its folder: through a
// loop device when the kernel has vfat, else through FUSE (fusefat). It
// skips the test, saying why, when neither can be done here.
func mountVfat(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a vfat image needs root")
	}
	mkfs, err := exec.LookPath("mkfs.vfat")
	if err != nil {
		t.Skip("mkfs.vfat is missing (Debian: dosfstools)")
	}
	base := t.TempDir()
	img, mnt := filepath.Join(base, "fat.img"), filepath.Join(base, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 16<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.vfat: %v\n%s", err, out)
	}
	loopOut, err := exec.Command("mount", "-t", "vfat", "-o", "loop", img, mnt).CombinedOutput()
	if err != nil {
		fuse, ferr := exec.LookPath("fusefat")
		if ferr != nil {
			t.Skipf("cannot mount vfat: the loop mount failed (%v: %s) and fusefat (Debian: fusefat) is missing", err, loopOut)
		}
		if out, err := exec.Command(fuse, "-o", "rw+", img, mnt).CombinedOutput(); err != nil {
			t.Skipf("cannot mount vfat: the loop mount failed (%s) and so did fusefat (%v: %s)", loopOut, err, out)
		}
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", mnt, err, out)
		}
	})
	return mnt
}

// On a real vfat folder (no hard links) a finished file takes its name,
// or "NAME (1)" when something is there, without replacing it and without
// trying name after name.
func TestPlaceOnAFolderWithoutHardLinks(t *testing.T) {
	checkPlaceNeverReplaces(t, mountVfat(t))
}
