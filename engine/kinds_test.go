package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestFoldersByKindFollowTheNameTheServerGives(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(256<<10, 4)
	release := make(chan struct{})
	srv.Add("/download", body, testserver.ContentDisposition(`attachment; filename="photo.jpg"`), testserver.Hold(100<<10, release))
	e := newEnv(t, func(o *Options) { o.FoldersByKind = true })
	images, other := filepath.Join(e.dl, "Images"), filepath.Join(e.dl, "Other")
	// Something of that name is there already: the download takes another.
	if err := os.MkdirAll(images, 0o755); err != nil {
		t.Fatal(err)
	}
	older := []byte("an older photo")
	if err := os.WriteFile(filepath.Join(images, "photo.jpg"), older, 0o644); err != nil {
		t.Fatal(err)
	}
	link := srv.URL("/download?id=3")
	id := e.add(link)
	if s, _ := e.m.Get(id); s.Dir != other || s.Name != "download" {
		t.Errorf("before the server answered: %s in %s, want download in %s", s.Name, s.Dir, other)
	}
	s := e.waitFor(id, "the server's name", func(s Snapshot) bool { return s.Received == 100<<10 })
	if s.Dir != images || s.Name != "photo (1).jpg" {
		t.Errorf("while it runs: %s in %s, want photo (1).jpg in %s", s.Name, s.Dir, images)
	}
	if _, err := os.Stat(filepath.Join(images, "photo (1).jpg"+partSuffix)); err != nil {
		t.Errorf("the partial file is not in Images: %v", err)
	}
	if again := e.add(link); again != id {
		t.Errorf("adding the link again while it runs made another download")
	}
	close(release)
	s = e.mustComplete(id, body)
	if s.Dir != images {
		t.Errorf("complete in %s, want %s", s.Dir, images)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("the folder Other was made for nothing: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(images, "photo.jpg")); !bytes.Equal(got, older) {
		t.Error("the older photo was overwritten")
	}
	e.reopen()
	if s, _ := e.m.Get(id); s.Dir != images || s.Name != "photo (1).jpg" {
		t.Errorf("after a restart: %s in %s", s.Name, s.Dir)
	}
	if again := e.add(link); again != id {
		t.Errorf("adding the link again after a restart made another download")
	}
}
