package cli

import (
	"encoding/json"
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
