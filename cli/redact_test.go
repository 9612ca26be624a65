package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// secretLink is srv's path with a login and a signed token in it.
func secretLink(srv *fileServer, path string) string {
	return strings.Replace(srv.URL, "://", "://alice:pw1@", 1) + path + "?token=SIGNED123"
}

func showsSecret(s string) bool {
	return strings.Contains(s, "SIGNED123") || strings.Contains(s, "alice") || strings.Contains(s, "pw1")
}

func TestJSONErrorShowsNoUserinfoOrQuery(t *testing.T) {
	srv := newFileServer(t)
	srv.Add("/gone.zip", nil, testserver.Status(404, testserver.Always, ""))
	iv := newInvocation(t)
	good := srv.add("/ok.txt", []byte("fine"))
	stdout, stderr, code := iv.get("--json", secretLink(srv, "/gone.zip"), good)
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 JSON lines, got:\n%s", stdout)
	}
	for _, line := range lines {
		var obj struct{ Status, Error string }
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", line, err)
		}
		if showsSecret(obj.Error) || (obj.Status == "failed") == (obj.Error == "") {
			t.Errorf("status %q, error %q", obj.Status, obj.Error)
		}
	}
	if !strings.Contains(stdout, `"error":"404 Not Found: `+srv.URL+`/gone.zip?…"`) {
		t.Errorf("the 404 no longer names the file:\n%s", stdout)
	}
	if showsSecret(stderr) {
		t.Errorf("stderr shows a secret:\n%s", stderr)
	}
}

func TestFailedLineShowsNoUserinfoOrQuery(t *testing.T) {
	srv := newFileServer(t)
	srv.Add("/gone.zip", nil, testserver.Status(404, testserver.Always, ""))
	iv := newInvocation(t)
	stdout, stderr, code := iv.get(secretLink(srv, "/gone.zip"))
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if want := "FAILED  404 Not Found: " + srv.URL + "/gone.zip?…\n"; !strings.Contains(stdout, want) || showsSecret(stdout+stderr) {
		t.Errorf("stdout %q, want %q and no secret; stderr %q", stdout, want, stderr)
	}
}

// The report, as a new user runs it: a signed link redirected to
// another origin must not hand that origin the token as Referer.
func TestGetSendsNoRefererToTheOriginARedirectReaches(t *testing.T) {
	srv := newFileServer(t)
	other := testserver.NewOn("127.0.0.2")
	defer other.Close()
	content := pattern(4000, 7)
	other.Add("/x.zip", content)
	srv.Add("/x.zip", nil, testserver.Redirect(302, other.URL("/x.zip")))
	iv := newInvocation(t)
	if stdout, stderr, code := iv.get(srv.URL + "/x.zip?token=SIGNED123"); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	got := other.Received("/x.zip", "Referer")
	if len(got) == 0 {
		t.Fatal("the redirect was not followed")
	}
	for _, ref := range got {
		if ref != "" {
			t.Errorf("the other origin received Referer %q", ref)
		}
	}
	assertFile(t, filepath.Join(iv.dir, "x.zip"), content)
}
