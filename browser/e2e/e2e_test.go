//go:build e2e

// Package e2e runs Haul's extension in a real Chromium against a real
// haul: a page on a loopback server starts a download, the extension
// hands it to `haul native-host`, which starts Haul's window (under
// Xvfb) and hands it over the instance socket; the window downloads it.
//
//	go test -tags e2e ./browser/e2e      (scripts/test.sh installs chromium and xvfb first)
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/nativehost"
)

const size = 2 << 20

// need returns the path of the first program found, or skips the test.
func need(t *testing.T, what string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("SKIPPED: no %s here (%s); scripts/test.sh installs it with apt-get where it can", what, strings.Join(names, ", "))
	return ""
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// startXvfb starts a virtual display and returns its name.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	for n := 150 + os.Getpid()%500; ; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		cmd := exec.Command(xvfb, ":"+strconv.Itoa(n), "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting Xvfb: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		waitUntil(t, 20*time.Second, "Xvfb's socket", func() bool {
			_, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
			return err == nil
		})
		return ":" + strconv.Itoa(n)
	}
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopProcessesOf ends the processes running exe (the test's own haul
// binary, at a path no other program has): the window the native host
// started. It waits a while for them to save and go.
func stopProcessesOf(exe string) {
	running := func() []int {
		var pids []int
		dirs, _ := filepath.Glob("/proc/[0-9]*")
		for _, d := range dirs {
			if p, err := os.Readlink(filepath.Join(d, "exe")); err == nil && p == exe {
				if pid, err := strconv.Atoi(filepath.Base(d)); err == nil {
					pids = append(pids, pid)
				}
			}
		}
		return pids
	}
	for _, pid := range running() {
		syscall.Kill(pid, syscall.SIGTERM)
	}
	for i := 0; i < 100 && len(running()) > 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
}

// scene is one browser and one haul, each with its folders, and the
// loopback server of the page.
type scene struct {
	haul, haulDL, browserDL string
	srv                     *testserver.Server
	page                    string
	content                 []byte
	devtools                *cdp   // the DevTools protocol, on a pipe
	popup                   string // its session with the popup, opened as a page
	pageSession             string // its session with the page
	display                 string // the Xvfb display Haul's window is on
}

// newScene builds haul, starts Xvfb and the server and, when register
// is set, runs `haul install-browser` for the browser's profile; then it
// opens the page that starts a download in headless Chromium with the
// unpacked extension.
func newScene(t *testing.T, register bool) *scene {
	t.Helper()
	return openScene(t, register, "/page.html")
}

// openScene is newScene opening the page at path. The page is opened
// through the DevTools protocol once the extension's background answers
// its popup: a page named on Chromium's command line was at times never
// opened (a fresh profile, the extension loading with it), or opened
// before the extension listened.
func openScene(t *testing.T, register bool, path string) *scene {
	t.Helper()
	chromium := need(t, "Chromium", "chromium", "chromium-browser")
	xvfb := need(t, "Xvfb", "Xvfb")
	root := repoRoot(t)
	tmp, err := os.MkdirTemp("", "haul-e2e")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })

	sc := &scene{haul: filepath.Join(tmp, "haul")}
	build := exec.Command("go", "build", "-o", sc.haul, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Cleanup(func() { stopProcessesOf(sc.haul) })

	home := filepath.Join(tmp, "home")
	sc.haulDL = filepath.Join(home, "haul-downloads")
	sc.browserDL = filepath.Join(home, "browser-downloads")
	profile := filepath.Join(home, "profile")
	for _, d := range []string{sc.haulDL, sc.browserDL, filepath.Join(profile, "Default")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	prefs, _ := json.Marshal(map[string]any{"download": map[string]any{"default_directory": sc.browserDL, "prompt_for_download": false}})
	if err := os.WriteFile(filepath.Join(profile, "Default", "Preferences"), prefs, 0o644); err != nil {
		t.Fatal(err)
	}
	display := startXvfb(t, xvfb)
	sc.display = display
	env := append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DOWNLOAD_DIR="+sc.haulDL,
		"DISPLAY="+display, "LANG=C.UTF-8")

	if register {
		install := exec.Command(sc.haul, "install-browser", "--user-data-dir", profile)
		install.Env = env
		if out, err := install.CombinedOutput(); err != nil {
			t.Fatalf("haul install-browser: %v\n%s", err, out)
		}
	}

	sc.srv = testserver.New()
	t.Cleanup(sc.srv.Close)
	sc.content = testserver.Content(size, 11)
	sc.srv.Add("/page.html", []byte(`<!doctype html><title>Haul e2e</title>
<p><a id="dl" href="/files/big.iso">big.iso</a></p>
<script>setTimeout(() => { location.href = "/files/big.iso"; }, 2500);</script>`),
		testserver.Header("Set-Cookie", "site=page-origin; Path=/"),
		testserver.Header("Set-Cookie", "elsewhere=not-for-files; Path=/elsewhere"),
		testserver.NoETag())
	sc.srv.Add("/files/big.iso", sc.content, testserver.Throttle(512<<10),
		testserver.ContentDisposition(`attachment; filename="big.iso"`), testserver.ContentType("application/octet-stream"))
	addStreamPage(t, sc.srv)
	sc.page = sc.srv.URL(path)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	var browserLog bytes.Buffer
	browser := exec.CommandContext(ctx, chromium,
		"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-features=DisableLoadExtensionCommandLineSwitch",
		"--user-data-dir="+profile, "--load-extension="+filepath.Join(root, "browser", "extension"),
		"--enable-logging=stderr", "--remote-debugging-pipe", "about:blank")
	browser.Env = env
	browser.Stdout, browser.Stderr = &browserLog, &browserLog
	files, dt, err := cdpPipes()
	if err != nil {
		t.Fatal(err)
	}
	browser.ExtraFiles = files
	sc.devtools = dt
	t.Cleanup(dt.close)
	if err := browser.Start(); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	for _, f := range browser.ExtraFiles {
		f.Close() // Chromium's ends of the DevTools pipes
	}
	t.Cleanup(func() {
		browser.Process.Kill()
		browser.Wait()
		if t.Failed() {
			t.Logf("Chromium's log:\n%s", tail(browserLog.String(), 4000))
		}
	})

	if sc.popup, err = dt.open("chrome-extension://" + nativehost.ExtensionID + "/popup.html"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 60*time.Second, "the extension's background to answer", func() bool {
		var up bool
		return dt.eval(sc.popup, `chrome.runtime.sendMessage({type: "streams", tabId: -1}).then((a) => Array.isArray(a.streams))`, &up) == nil && up
	})
	if sc.pageSession, err = dt.open(sc.page); err != nil {
		t.Fatal(err)
	}
	return sc
}

// haulRequests are the requests for path that did not come from the
// browser (which sends Sec-Fetch-Mode on every request).
func (sc *scene) haulRequests(path string) []testserver.RecordedRequest {
	var out []testserver.RecordedRequest
	for _, r := range sc.srv.Requests(path) {
		if r.Header.Get("Sec-Fetch-Mode") == "" {
			out = append(out, r)
		}
	}
	return out
}

func TestBrowserKeepsTheDownloadWhenHaulIsNotRegistered(t *testing.T) {
	sc := newScene(t, false)
	got := filepath.Join(sc.browserDL, "big.iso")
	waitUntil(t, 150*time.Second, "big.iso in the browser's download folder", func() bool {
		b, err := os.ReadFile(got)
		return err == nil && bytes.Equal(b, sc.content)
	})
	if n := len(sc.haulRequests("/files/big.iso")); n != 0 {
		t.Errorf("%d requests came from elsewhere than the browser", n)
	}
	if entries, _ := os.ReadDir(sc.haulDL); len(entries) != 0 {
		t.Errorf("Haul's download folder holds %s", entries[0].Name())
	}
}

func TestBrowserDownloadArrivesInHaul(t *testing.T) {
	sc := newScene(t, true)
	srv, page, content, haulDL, browserDL := sc.srv, sc.page, sc.content, sc.haulDL, sc.browserDL

	// The download arrives in Haul's folder, whole.
	got := filepath.Join(haulDL, "big.iso")
	waitUntil(t, 150*time.Second, "big.iso in Haul's download folder", func() bool {
		b, err := os.ReadFile(got)
		return err == nil && bytes.Equal(b, content)
	})

	// The browser's own download was cancelled: its request ended before
	// the whole file went out (the throttle makes it take seconds), and
	// nothing landed in its folder.
	waitUntil(t, 60*time.Second, "every request to end", func() bool { return srv.Stats("/files/big.iso").InFlight == 0 })
	if sent := srv.Stats("/files/big.iso").BytesSent; sent >= 2*size {
		t.Errorf("%d bytes sent for a %d-byte file: the browser downloaded it too", sent, size)
	}
	if entries, _ := os.ReadDir(browserDL); len(entries) != 0 {
		t.Errorf("the browser's download folder holds %s", entries[0].Name())
	}

	// Haul's requests (those without the browser's Sec-Fetch headers)
	// carry the page as Referer and the page origin's cookie for that
	// path only. NEEDS THE RESHAPE BRANCH: the engine sends the headers.
	haulReqs := sc.haulRequests("/files/big.iso")
	if len(haulReqs) == 0 {
		t.Fatal("no request from Haul reached the server")
	}
	for _, r := range haulReqs {
		if ref := r.Header.Get("Referer"); ref != page {
			t.Errorf("Haul's request: Referer %q, want the page %q", ref, page)
		}
		if c := r.Header.Get("Cookie"); c != "site=page-origin" {
			t.Errorf("Haul's request: Cookie %q, want only the page origin's cookie for /files", c)
		}
		if ua := r.Header.Get("User-Agent"); !strings.Contains(ua, "Chrome/") {
			t.Errorf("Haul's request: User-Agent %q, want the browser's", ua)
		}
	}
}

// tail is the end of Chromium's log, without its D-Bus noise.
func tail(s string, n int) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if !strings.Contains(line, "dbus") && !strings.Contains(line, "D-Bus") && !strings.Contains(line, "Floss") {
			keep = append(keep, line)
		}
	}
	s = strings.Join(keep, "\n")
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
