package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/remote/aria2/aria2test"
	"github.com/haul-dl/haul/remote/boxes"
)

// remoteInvocation runs `haul get` with a state folder that knows the box
// "nas" (the daemon d), its secret in a file.
func remoteGet(t *testing.T, d *aria2test.Daemon, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	state := t.TempDir()
	secrets := func(dir string) boxes.Secrets { return &boxes.File{Path: filepath.Join(dir, boxes.SecretsFileName)} }
	if d != nil {
		s := boxes.Open(state, secrets(state))
		if err := s.Put("", boxes.Box{Name: "nas", URL: d.URL()}, &d.Secret); err != nil {
			t.Fatal(err)
		}
	}
	var out, errw syncBuffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errw,
		size:      fixedSize(100, 30),
		downloads: func() (string, error) { return t.TempDir(), nil },
		state:     func() (string, error) { return state, nil },
		secrets:   secrets,
	}
	code = run(aria2test.Context(t), args, e)
	return out.String(), errw.String(), code
}

func TestGetRemoteWaitFollowsTheDownloadsToTheEnd(t *testing.T) {
	d := aria2test.Start(t, "cli-secret", "--max-tries=1")
	srv := testserver.New()
	defer srv.Close()
	body := testserver.Content(200<<10, 9)
	srv.Add("/good.bin", body)
	dir := filepath.Join(d.Dir, "from-cli")

	stdout, stderr, code := remoteGet(t, d, "--remote", "nas", "--wait", "--json", "-d", dir,
		srv.URL("/good.bin"), srv.URL("/gone.bin"))
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d (one failed)\nstdout: %s\nstderr: %s", code, ExitFailed, stdout, stderr)
	}
	got := map[string]jsonResult{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r jsonResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		got[filepath.Base(r.URL)] = r
	}
	if g := got["good.bin"]; g.Status != "completed" || g.Bytes != int64(len(body)) || g.Path != filepath.Join(dir, "good.bin") {
		t.Errorf("good.bin: %+v", g)
	}
	if g := got["gone.bin"]; g.Status != "failed" || !strings.Contains(g.Error, "not found") {
		t.Errorf("gone.bin: %+v", g)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "good.bin")); err != nil || !bytes.Equal(b, body) {
		t.Errorf("the file on the box: %d bytes, %v", len(b), err)
	}
	if strings.Contains(stdout+stderr, d.Secret) {
		t.Error("the output repeats the secret")
	}
}

func TestGetRemoteWithoutWaitOnlySends(t *testing.T) {
	d := aria2test.Start(t, "cli-secret")
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/held.bin", testserver.Content(100<<10, 1), testserver.Hold(1<<10, release))
	_, stderr, code := remoteGet(t, d, "--remote", "nas", srv.URL("/held.bin"))
	if code != ExitOK || !strings.Contains(stderr, "sent") || !strings.Contains(stderr, "held.bin") {
		t.Fatalf("exit %d, stderr %q: want the link reported sent", code, stderr)
	}
}

func TestGetRemoteMistakes(t *testing.T) {
	d := aria2test.Start(t, "cli-secret")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--remote", "elsewhere", "https://example.org/a"}, ExitUsage, `no remote downloader is named "elsewhere" (there are: nas)`},
		{[]string{"--wait", "https://example.org/a"}, ExitUsage, "--wait goes with --remote"},
		{[]string{"--remote", "nas", "--checksum", "sha256=00", "https://example.org/a"}, ExitUsage, "--checksum applies to downloads on this computer"},
		{[]string{"--remote", "nas"}, ExitUsage, "nothing to download"},
	} {
		_, stderr, code := remoteGet(t, d, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	d.Stop(false)
	_, stderr, code := remoteGet(t, d, "--remote", "nas", "https://example.org/a")
	if code != ExitFailed || !strings.Contains(stderr, "nas") {
		t.Errorf("a box that is down: exit %d, stderr %q", code, stderr)
	}
}
