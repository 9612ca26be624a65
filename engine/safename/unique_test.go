package safename

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plant creates the named entries in dir: names ending in "@" become
// dangling symlinks (without the "@"), the others empty files.
func plant(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if link, ok := strings.CutSuffix(n, "@"); ok {
			if err := os.Symlink(filepath.Join(dir, "missing-target"), filepath.Join(dir, link)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func openRoot(t *testing.T) (*os.Root, string) {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root, dir
}

func TestUnique(t *testing.T) {
	tests := []struct {
		name    string
		planted []string
		taken   []string
		in      string
		want    string
	}{
		{"free", nil, nil, "a.jpg", "a.jpg"},
		{"file exists", []string{"a.jpg"}, nil, "a.jpg", "a (1).jpg"},
		{"part exists", []string{"a.jpg.part"}, nil, "a.jpg", "a (1).jpg"},
		{"dangling symlink", []string{"a.jpg@"}, nil, "a.jpg", "a (1).jpg"},
		{"dangling part symlink", []string{"a.jpg.part@"}, nil, "a.jpg", "a (1).jpg"},
		{"several taken", []string{"a.jpg", "a (1).jpg", "a (2).jpg.part"}, nil, "a.jpg", "a (3).jpg"},
		{"taken callback", nil, []string{"a.jpg", "a (1).jpg"}, "a.jpg", "a (2).jpg"},
		{"callback and disk", []string{"a.jpg"}, []string{"a (1).jpg"}, "a.jpg", "a (2).jpg"},
		{"tar.gz", []string{"x.tar.gz"}, nil, "x.tar.gz", "x (1).tar.gz"},
		{"no extension", []string{"README"}, nil, "README", "README (1)"},
		{"version is not an extension", []string{"tool-v1.2"}, nil, "tool-v1.2", "tool-v1.2 (1)"},
		{"space before extension", []string{"a .txt"}, nil, "a .txt", "a (1).txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, dir := openRoot(t)
			plant(t, dir, tt.planted...)
			var taken func(string) bool
			if tt.taken != nil {
				taken = func(s string) bool {
					for _, x := range tt.taken {
						if x == s {
							return true
						}
					}
					return false
				}
			}
			got, err := Unique(root, tt.in, taken)
			if err != nil {
				t.Fatalf("Unique(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Unique(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUniqueDirectoryExists(t *testing.T) {
	root, dir := openRoot(t)
	if err := os.Mkdir(filepath.Join(dir, "photos"), 0o700); err != nil {
		t.Fatal(err)
	}
	got, err := Unique(root, "photos", nil)
	if err != nil || got != "photos (1)" {
		t.Errorf("Unique(photos) = %q, %v; want \"photos (1)\"", got, err)
	}
}

func TestUniqueLongNameFits(t *testing.T) {
	root, dir := openRoot(t)
	name := Sanitize(strings.Repeat("ü", 200) + ".tar.gz")
	if len(name) < MaxBytes-1 {
		t.Fatalf("setup: len %d", len(name))
	}
	plant(t, dir, name)
	taken := func(s string) bool { return !strings.Contains(s, "(1234)") }
	got, err := Unique(root, name, taken)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(got, " (1234).tar.gz") || len(got)+len(".part") > 255 {
		t.Errorf("Unique(long) = %q (%d bytes)", got, len(got))
	}
	// The name must really be creatable with ".part" appended.
	f, err := root.OpenFile(got+".part", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatalf("creating %d-byte name: %v", len(got)+5, err)
	}
	f.Close()
}

func TestUniqueGivesUp(t *testing.T) {
	root, _ := openRoot(t)
	calls := 0
	_, err := Unique(root, "a.txt", func(string) bool { calls++; return true })
	if !errors.Is(err, ErrNoFreeName) {
		t.Fatalf("err = %v, want ErrNoFreeName", err)
	}
	if calls != maxTries {
		t.Errorf("taken called %d times, want %d", calls, maxTries)
	}
}

func TestUniqueRejectsUnsafeName(t *testing.T) {
	root, _ := openRoot(t)
	for _, name := range []string{"", "../x", ".hidden", "a/b", "CON"} {
		if got, err := Unique(root, name, nil); err == nil {
			t.Errorf("Unique(%q) = %q, want error", name, got)
		}
	}
}
