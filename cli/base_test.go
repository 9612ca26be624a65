package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGetSavedPageWithBaseResolvesItsRelativeLinks(t *testing.T) {
	srv := newFileServer(t)
	a, b := pattern(1000, 3), pattern(2000, 4)
	srv.add("/gallery/a.jpg", a)
	srv.add("/gallery/b.jpg", b)
	page := writeFile(t, t.TempDir(), "page.html", `<html><body><a href="a.jpg">a</a><img src="b.jpg"></body></html>`)

	// Without the page's address the links cannot be used, and haul says how to give it.
	iv := newInvocation(t)
	_, stderr, code := iv.get("-i", page)
	if code == ExitOK || !strings.Contains(stderr, "skipped 2 relative links") || !strings.Contains(stderr, "--base URL") {
		t.Errorf("without --base: exit %d, stderr %q", code, stderr)
	}

	iv = newInvocation(t)
	stdout, stderr, code := iv.get("-i", page, "--base", srv.URL+"/gallery/index.html")
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	assertFile(t, filepath.Join(iv.dir, "a.jpg"), a)
	assertFile(t, filepath.Join(iv.dir, "b.jpg"), b)

	if _, stderr, code := newInvocation(t).get("-i", page, "--base", "ftp://example.org/"); code != ExitUsage || !strings.Contains(stderr, "--base") {
		t.Errorf("a base that is no web address: exit %d, %q", code, stderr)
	}
}
