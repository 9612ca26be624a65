package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// syncBuffer is a bytes.Buffer safe to read while Run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// invocation runs `haul get` in process against temporary folders.
type invocation struct {
	t        *testing.T
	dir      string // download folder (-d is added unless noDir)
	state    string // state folder (--state is added unless noState)
	stdin    string
	tty      bool
	noDir    bool
	noState  bool
	defaults [2]string // what the user's Downloads and state folders are
}

func newInvocation(t *testing.T) *invocation {
	base := t.TempDir()
	return &invocation{t: t, dir: filepath.Join(base, "out"), state: filepath.Join(base, "state")}
}

func (iv *invocation) run(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	iv.t.Helper()
	var out, errw syncBuffer
	if !iv.noDir {
		args = append([]string{"-d", iv.dir}, args...)
	}
	if !iv.noState {
		args = append([]string{"--state", iv.state}, args...)
	}
	e := env{
		stdin: strings.NewReader(iv.stdin), stdout: &out, stderr: &errw,
		outTTY: iv.tty, color: true,
		size:      fixedSize(100, 30),
		downloads: func() (string, error) { return iv.defaults[0], nil },
		state:     func() (string, error) { return iv.defaults[1], nil },
	}
	code = run(ctx, args, e)
	return out.String(), errw.String(), code
}

func (iv *invocation) get(args ...string) (string, string, int) {
	iv.t.Helper()
	return iv.run(context.Background(), args...)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func assertFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the download: %v", err)
	}
	if !bytes.Equal(got, want) {
		first, last, n := -1, -1, 0
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				if first < 0 {
					first = i
				}
				last = i
				n++
			}
		}
		t.Fatalf("%s: %d bytes, %d served; %d bytes differ, from %d to %d", path, len(got), len(want), n, first, last)
	}
}

func TestGetListFromFile(t *testing.T) {
	srv := newFileServer(t)
	big, a, b := pattern(3<<20, 1), pattern(1000, 2), []byte("hello\n")
	list := "# my downloads\n" + srv.add("/big.bin", big) + "\n\n" + srv.add("/a.jpg", a) + "\n" + srv.add("/b.txt", b) + "\n"
	iv := newInvocation(t)
	links := writeFile(t, t.TempDir(), "links.txt", list)

	stdout, stderr, code := iv.get("-i", links)
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	assertFile(t, filepath.Join(iv.dir, "big.bin"), big)
	assertFile(t, filepath.Join(iv.dir, "a.jpg"), a)
	assertFile(t, filepath.Join(iv.dir, "b.txt"), b)
	for _, want := range []string{"done  big.bin  3.0 MiB\n", "done  a.jpg  1000 B\n", "done  b.txt  6 B\n", "3 completed · 3.0 MiB in "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, "\x1b") {
		t.Errorf("escape codes in output that is not a terminal:\n%q\n%q", stdout, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestGetNotFound(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	good := srv.add("/ok.txt", []byte("fine"))
	stdout, _, code := iv.get(srv.URL+"/missing.zip", good)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, stdout)
	}
	if want := "FAILED  404 Not Found: " + srv.URL + "/missing.zip\n"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "1 completed, 1 failed") {
		t.Errorf("summary missing:\n%s", stdout)
	}
	for _, name := range []string{"missing.zip", "missing.zip.part"} {
		if _, err := os.Lstat(filepath.Join(iv.dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind (%v)", name, err)
		}
	}
	assertFile(t, filepath.Join(iv.dir, "ok.txt"), []byte("fine"))
}

func TestGetJSON(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	content := pattern(5000, 3)
	ok := srv.add("/data.csv", content)
	stdout, stderr, code := iv.get("--json", ok, srv.URL+"/gone")
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	byURL := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", line, err)
		}
		for _, f := range []string{"id", "url", "path", "status", "bytes", "error"} {
			if _, has := obj[f]; !has {
				t.Errorf("line %q lacks %q", line, f)
			}
		}
		byURL[obj["url"].(string)] = obj
	}
	if len(byURL) != 2 {
		t.Fatalf("want 2 JSON lines, got:\n%s", stdout)
	}
	c := byURL[ok]
	if c["status"] != "completed" || c["bytes"] != float64(len(content)) || c["path"] != filepath.Join(iv.dir, "data.csv") || c["error"] != "" || c["id"] == "" {
		t.Errorf("completed line = %v", c)
	}
	f := byURL[srv.URL+"/gone"]
	if f["status"] != "failed" || !strings.HasPrefix(f["error"].(string), "404 Not Found") {
		t.Errorf("failed line = %v", f)
	}
	assertFile(t, filepath.Join(iv.dir, "data.csv"), content)
	if !strings.Contains(stderr, "1 completed, 1 failed") {
		t.Errorf("summary not on stderr: %q", stderr)
	}
}

func TestGetReportsRejectedLines(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	list := srv.add("/one", []byte("1")) + "\n" +
		"ftp://example.org/file\n" +
		"just some words\n" +
		srv.add("/two", []byte("22"), testserver.ContentType("text/plain; charset=utf-8")) + "\n" +
		srv.URL + "/[9-1].jpg\n"
	links := writeFile(t, t.TempDir(), "links.txt", list)
	stdout, stderr, code := iv.get("-i", links)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{links + ":2: ", links + ":5: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, want := range []string{"ftp://example.org/file", "[9-1]"} { // the rejected text itself
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, ":1: ") || strings.Contains(stderr, ":4: ") {
		t.Errorf("a good line was rejected:\n%s", stderr)
	}
	if !strings.Contains(stdout, "2 completed, 2 input lines rejected") {
		t.Errorf("summary does not count the rejected lines:\n%s", stdout)
	}
	assertFile(t, filepath.Join(iv.dir, "two.txt"), []byte("22"))
}

func TestGetFromStdinWithOptions(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	content := []byte("renamed content")
	sum := sha256.Sum256(content)
	iv.stdin = srv.add("/x", content) + "?id=7\n  out=report.txt\n  sha256=" + hex.EncodeToString(sum[:]) + "\n"
	stdout, stderr, code := iv.get("-i", "-")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	assertFile(t, filepath.Join(iv.dir, "report.txt"), content)
}

func TestGetChecksum(t *testing.T) {
	srv := newFileServer(t)
	content := []byte("checked")
	sum := sha256.Sum256(content)
	u := srv.add("/c.bin", content)

	iv := newInvocation(t)
	if out, errs, code := iv.get("--checksum", "sha256="+hex.EncodeToString(sum[:]), u); code != ExitOK {
		t.Fatalf("right checksum: exit %d\n%s\n%s", code, out, errs)
	}
	iv = newInvocation(t)
	wrong := sha256.Sum256([]byte("other"))
	out, _, code := iv.get("--checksum", "sha256="+hex.EncodeToString(wrong[:]), u)
	if code != ExitFailed || !strings.Contains(out, "FAILED") {
		t.Fatalf("wrong checksum: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(iv.dir, "c.bin")); err == nil {
		t.Error("a file that failed its checksum was kept under its name")
	}
}

func TestGetUsageErrors(t *testing.T) {
	srv := newFileServer(t)
	u := srv.add("/f", []byte("f"))
	notLinks := writeFile(t, t.TempDir(), "list.txt", u+"\n")
	empty := writeFile(t, t.TempDir(), "empty.txt", "\n# nothing\n")
	binary := writeFile(t, t.TempDir(), "bin.dat", "\x00\x01\x02binary\x00")
	cases := map[string]struct {
		args []string
		want string
	}{
		"nothing":             {nil, "nothing to download"},
		"unknown flag":        {[]string{"--nope", u}, "not defined"},
		"bad -j":              {[]string{"-j", "0", u}, "-j 0"},
		"not a link":          {[]string{"example"}, "not a link"},
		"file as argument":    {[]string{notLinks}, "use -i " + notLinks},
		"missing input":       {[]string{"-i", filepath.Join(t.TempDir(), "nope.txt")}, "no such file"},
		"input is a folder":   {[]string{"-i", t.TempDir()}, "folder"},
		"empty input":         {[]string{"-i", empty}, "has no links"},
		"binary input":        {[]string{"-i", binary}, "binary"},
		"checksum two URLs":   {[]string{"--checksum", "sha256=" + strings.Repeat("0", 64), u, u + "2"}, "exactly one URL"},
		"checksum with list":  {[]string{"--checksum", "sha256=" + strings.Repeat("0", 64), "-i", notLinks}, "exactly one URL"},
		"checksum malformed":  {[]string{"--checksum", "sha256=abc", u}, "hex digits"},
		"checksum algorithm":  {[]string{"--checksum", "crc32=abcd", u}, "unsupported"},
		"missing CA bundle":   {[]string{"--ca-cert", filepath.Join(t.TempDir(), "ca.pem"), u}, "--ca-cert"},
		"bad rate":            {[]string{"--limit-rate", "lots", u}, "not a speed"},
		"pattern as argument": {[]string{srv.URL + "/[5-1]"}, "5-1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			iv := newInvocation(t)
			stdout, stderr, code := iv.get(c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if srv.bytesSent("/f") != 0 {
				t.Errorf("a usage error still downloaded")
			}
		})
	}
}

func TestGetHelp(t *testing.T) {
	iv := newInvocation(t)
	stdout, stderr, code := iv.get("--help")
	if code != ExitOK || !strings.HasPrefix(stdout, "Usage: haul get") || stderr != "" {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

func TestGetStateInUse(t *testing.T) {
	iv := newInvocation(t)
	m, err := engine.Open(context.Background(), engine.Options{StateDir: iv.state, DefaultDir: iv.dir})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	_, stderr, code := iv.get("http://127.0.0.1:1/x")
	if code != ExitUsage {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	want := "the download list in " + iv.state + " is in use by another Haul (the window?); close it or pass --state"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestGetUsesTheUserFolders(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	iv.noDir, iv.noState = true, true
	base := t.TempDir()
	iv.defaults = [2]string{filepath.Join(base, "Downloads"), filepath.Join(base, "config", "haul")}
	if out, errs, code := iv.get(srv.add("/d.txt", []byte("dd"))); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	assertFile(t, filepath.Join(base, "Downloads", "d.txt"), []byte("dd"))
	if _, err := os.Stat(filepath.Join(base, "config", "haul")); err != nil {
		t.Errorf("state folder not used: %v", err)
	}
}

func TestGetRerunDoesNotDownloadAgain(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	content := pattern(200<<10, 4)
	u := srv.add("/again.bin", content)
	if out, errs, code := iv.get(u); code != ExitOK {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	sent := srv.bytesSent("/again.bin")
	out, errs, code := iv.get(u)
	if code != ExitOK {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
	}
	if got := srv.bytesSent("/again.bin"); got != sent {
		t.Errorf("second run fetched %d more bytes", got-sent)
	}
	if !strings.Contains(out, "done  again.bin  200 KiB  (already there)") || !strings.Contains(out, "1 completed (1 already there)") {
		t.Errorf("second run output:\n%s", out)
	}
	assertFile(t, filepath.Join(iv.dir, "again.bin"), content)
	if _, err := os.Stat(filepath.Join(iv.dir, "again (1).bin")); err == nil {
		t.Error("the second run made a second copy")
	}
}

func TestGetWarning(t *testing.T) {
	srv := newFileServer(t)
	// No Content-Length and no chunking: the body ends when the
	// connection closes, so its size is never announced.
	srv.add("/stream.log", []byte("streamed without a size"), testserver.CloseDelimited())
	iv := newInvocation(t)
	out, errs, code := iv.get(srv.URL + "/stream.log")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "done  stream.log  23 B  warning: the server did not announce the size") {
		t.Errorf("warning not shown:\n%s", out)
	}
}

func TestGetOnATerminal(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	iv.tty = true
	content := pattern(1<<20, 5)
	u := srv.add("/slow.bin", content, testserver.Throttle(800<<10)) // slow enough for some redraws
	out, errs, code := iv.get("-x", "1", u, srv.URL+"/nope")
	if code != ExitFailed {
		t.Fatalf("exit %d\n%q\n%q", code, out, errs)
	}
	if !strings.Contains(out, ansiUpClear) {
		t.Errorf("no progress redrawn in place:\n%q", out)
	}
	if !strings.Contains(out, "slow.bin") || !strings.Contains(out, "Failed:\x1b[0m\n  404 Not Found: "+srv.URL+"/nope\n") {
		t.Errorf("missing lines:\n%q", out)
	}
	if !strings.HasSuffix(out, "1 completed, 1 failed · ") && !strings.Contains(out, "1 completed, 1 failed · 1.0 MiB in ") {
		t.Errorf("summary:\n%q", out)
	}
	assertFile(t, filepath.Join(iv.dir, "slow.bin"), content)
}

func TestGetInterruptedThenResumed(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	content := pattern(4<<20, 6)
	u := srv.add("/resume.iso", content, testserver.Throttle(1600<<10))

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		deadline := time.Now().Add(30 * time.Second)
		for srv.bytesSent("/resume.iso") < 512<<10 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	_, stderr, code := iv.run(ctx, "-x", "2", u)
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want 130: %s", code, stderr)
	}
	if !strings.Contains(stderr, "interrupted: run the same command again to resume") {
		t.Errorf("stderr = %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(iv.dir, "resume.iso.part")); err != nil {
		t.Fatalf("no partial file kept: %v", err)
	}
	first := srv.bytesSent("/resume.iso")

	srv.Configure("/resume.iso", testserver.Throttle(0)) // full speed, same file
	out, errs, code := iv.get("-x", "2", u)
	if code != ExitOK {
		t.Fatalf("resume: exit %d\n%s\n%s", code, out, errs)
	}
	assertFile(t, filepath.Join(iv.dir, "resume.iso"), content)
	if again := srv.bytesSent("/resume.iso") - first; again >= int64(len(content)) {
		t.Errorf("the resumed run fetched %d bytes: the whole file again", again)
	}
}

func TestGetReportsRejectedLinesBeforeDownloading(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	list := srv.add("/first.bin", []byte("1")) + "\nftp://x.example/y\n"
	links := writeFile(t, t.TempDir(), "links.txt", list)
	var both syncBuffer
	e := env{
		stdin: strings.NewReader(""), stdout: &both, stderr: &both, size: fixedSize(80, 24),
		downloads: func() (string, error) { return iv.dir, nil },
		state:     func() (string, error) { return iv.state, nil },
	}
	if code := run(context.Background(), []string{"-i", links}, e); code != ExitFailed {
		t.Fatalf("exit %d\n%s", code, both.String())
	}
	out := both.String()
	rej, done := strings.Index(out, links+":2: "), strings.Index(out, "done  first.bin")
	if rej < 0 || done < 0 || rej > done {
		t.Fatalf("the rejected line should be reported before any download ends:\n%s", out)
	}
}

func TestGetAllLinesRejected(t *testing.T) {
	iv := newInvocation(t)
	links := writeFile(t, t.TempDir(), "links.txt", "ftp://a.example/1\nmailto:someone@example.org\n")
	_, stderr, code := iv.get("-i", links)
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	if !strings.Contains(stderr, links+":1: ") || !strings.Contains(stderr, "nothing to download") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestGetLongListAndOverlaps(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	var list strings.Builder
	var urls []string
	for i := range 60 {
		u := srv.add(fmt.Sprintf("/many/f%02d.dat", i), pattern(2000+i, byte(i)))
		urls = append(urls, u)
		list.WriteString(u + "\n")
	}
	list.WriteString(urls[3] + "\n") // a duplicate line
	links := writeFile(t, t.TempDir(), "links.txt", list.String())
	// The first URL is also given as an argument: one download, not two.
	out, errs, code := iv.get("-j", "2", "-i", links, urls[0])
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "60 completed · ") {
		t.Errorf("summary:\n%s", out)
	}
	if !strings.Contains(errs, "skipped 1 duplicate link") {
		t.Errorf("stderr:\n%s", errs)
	}
	for i := range 60 {
		assertFile(t, filepath.Join(iv.dir, fmt.Sprintf("f%02d.dat", i)), pattern(2000+i, byte(i)))
	}
}

func TestGetLongListFromStdin(t *testing.T) {
	srv := newFileServer(t)
	iv := newInvocation(t)
	var list strings.Builder
	for i := range 40 {
		list.WriteString(srv.add(fmt.Sprintf("/in/s%02d.dat", i), pattern(100+i, byte(i))) + "\n")
	}
	list.WriteString("bogus line\nhttp://\n")
	iv.stdin = list.String()
	out, errs, code := iv.get("-j", "3", "-i", "-")
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "40 completed, 1 input line rejected") || !strings.Contains(errs, "stdin:42: ") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errs)
	}
}

// TestGetRefusesAURLWithARawSpace: "http://host/d 4.txt" is refused with
// a clear message; fetching http://host/d would fetch something else.
// Several URLs in one argument are still fine.
func TestGetRefusesAURLWithARawSpace(t *testing.T) {
	srv := newFileServer(t)
	srv.add("/d", []byte("not the file asked for"))
	iv := newInvocation(t)
	stdout, stderr, code := iv.get(srv.URL + "/d 4.txt")
	if code != ExitUsage {
		t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if want := "a URL cannot hold a raw space; write the space as %20 (" + srv.URL + "/d%204.txt)"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if n := srv.Stats("/d").Requests; n != 0 {
		t.Errorf("the server got %d requests for /d: something else was fetched", n)
	}

	a, b := srv.add("/a.txt", []byte("a")), srv.add("/b.txt", []byte("b"))
	iv = newInvocation(t)
	if out, errs, code := iv.get(a + " " + b); code != ExitOK {
		t.Fatalf("two URLs in one argument: exit %d\n%s\n%s", code, out, errs)
	}
	assertFile(t, filepath.Join(iv.dir, "b.txt"), []byte("b"))
}
