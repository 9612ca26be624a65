//go:build e2e

package e2e

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// hlsJS is the vendored player (see testdata/hls.js/README.md).
//
//go:embed testdata/hls.js/hls.min.js
var hlsJS []byte

// streamMaster is the master playlist the stream page plays: two
// variants, 160x90 (the best, the fixture "ts") and 96x54.
const streamMaster = "/hls/master/master.m3u8"

// addStreamPage serves /stream.html, a page whose <video> hls.js feeds
// from the loopback HLS fixtures (or, where the browser has no Media
// Source Extensions, that fetches the playlist itself), and sets a
// cookie for the stream's path only.
func addStreamPage(t *testing.T, srv *testserver.Server) {
	t.Helper()
	srv.AddHLS("/hls")
	srv.Add("/hls.min.js", hlsJS, testserver.ContentType("text/javascript"))
	srv.Add("/stream.html", []byte(`<!doctype html><title>A video</title>
<video id="v" muted autoplay width="320" height="180"></video>
<script src="/hls.min.js"></script>
<script>
const src = "`+streamMaster+`";
if (window.Hls && Hls.isSupported()) {
  const hls = new Hls();
  hls.loadSource(src);
  hls.attachMedia(document.getElementById("v"));
} else { // no Media Source Extensions: fetch as a player would
  fetch(src).then(() => fetch("/hls/master/lo/index.m3u8")).then(() => fetch("/hls/master/lo/seg0.ts"));
}
document.title = window.Hls && Hls.isSupported() ? "hls.js" : "fetch";
</script>`),
		testserver.Header("Set-Cookie", "cdn=stream-cookie; Path=/hls"),
		testserver.NoETag())
}

// TestBrowserStreamArrivesInHaul plays a page's HLS stream in Chromium:
// the extension notes it (the variants and segments folded into the
// master), the popup lists it with the qualities Haul read, and its
// Download with Haul hands it over with the page's Referer and cookie.
func TestBrowserStreamArrivesInHaul(t *testing.T) {
	sc := openScene(t, true, "/stream.html")
	dt, session, pageSession := sc.devtools, sc.popup, sc.pageSession

	// The player reads the master, then a variant: the extension must
	// fold the variant into the master.
	waitUntil(t, 90*time.Second, "the browser to fetch the master playlist and a variant", func() bool {
		return len(sc.srv.Requests(streamMaster)) > 0 &&
			len(sc.srv.Requests("/hls/master/lo/index.m3u8"))+len(sc.srv.Requests("/hls/ts/index.m3u8")) > 0
	})

	// The popup, about the stream page's tab.
	var player string
	if err := dt.eval(pageSession, `document.title`, &player); err == nil {
		t.Logf("the page read the stream with %s", player)
	}
	var tabID int
	find := `chrome.tabs.query({url: ` + jsString(sc.page) + `}).then((tabs) => tabs.length ? tabs[0].id : -1)`
	waitUntil(t, 30*time.Second, "the stream page's tab", func() bool {
		return dt.eval(session, find, &tabID) == nil && tabID >= 0
	})
	if err := dt.eval(session, `location.search = "?tab=`+itoa(tabID)+`"`, nil); err != nil {
		t.Fatal(err)
	}

	type row struct{ Kind, Title, Detail string }
	var rows []row
	list := `[...document.querySelectorAll(".stream")].map((li) => ({kind: li.querySelector(".kind").textContent, title: li.querySelector(".title").textContent, detail: li.querySelector(".detail").textContent}))`
	var heading string
	t.Cleanup(func() {
		if t.Failed() {
			dt.eval(session, `document.getElementById("streamsHeading").textContent + " | " + location.href`, &heading)
			t.Logf("the popup: %q, rows %+v", heading, rows)
		}
	})
	waitUntil(t, 60*time.Second, "the popup to list the stream with Haul's qualities", func() bool {
		rows = nil
		return dt.eval(session, list, &rows) == nil && len(rows) > 0 && !strings.HasPrefix(rows[0].Detail, "Asking")
	})
	if len(rows) != 1 || rows[0].Kind != "HLS stream" || rows[0].Detail != "90p · 54p" || !strings.HasPrefix(rows[0].Title, "master.m3u8 · ") {
		t.Fatalf("the popup lists %+v, want the master alone with 90p · 54p", rows)
	}
	var badge string
	if err := dt.eval(session, `chrome.action.getBadgeText({tabId: `+itoa(tabID)+`})`, &badge); err != nil || badge != "1" {
		t.Errorf("the badge says %q (%v), want 1", badge, err)
	}
	var status string
	waitUntil(t, 60*time.Second, "the popup to say whether Haul can be reached", func() bool {
		return dt.eval(session, `document.getElementById("status").textContent`, &status) == nil && !strings.HasPrefix(status, "Checking")
	})
	if !strings.HasPrefix(status, "Haul is reachable") {
		t.Errorf("the popup says %q", status)
	}
	if out := os.Getenv("HAUL_E2E_POPUP_PNG"); out != "" {
		var height float64
		if err := dt.eval(session, `Math.ceil(document.body.getBoundingClientRect().bottom) + 10`, &height); err != nil {
			t.Fatal(err)
		}
		png, err := dt.screenshot(session, 360, height)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if err := dt.eval(session, `document.querySelector(".stream .get").click()`, nil); err != nil {
		t.Fatal(err)
	}
	var result string
	waitUntil(t, 60*time.Second, "the popup to say Haul has it", func() bool {
		return dt.eval(session, `document.querySelector(".stream .result").textContent`, &result) == nil && result != "" && result != "Handing it to Haul…"
	})
	if result != "Haul has it." {
		t.Fatalf("the popup says %q", result)
	}

	// Haul saves the best variant as one file.
	got := filepath.Join(sc.haulDL, "master.ts")
	want := testserver.HLSExpectedSum("ts")
	waitUntil(t, 120*time.Second, "master.ts in Haul's download folder", func() bool {
		b, err := os.ReadFile(got)
		sum := sha256.Sum256(b)
		return err == nil && hex.EncodeToString(sum[:]) == want
	})

	if out := os.Getenv("HAUL_E2E_WINDOW_PNG"); out != "" {
		shot := exec.Command("import", "-display", sc.display, "-window", "root", out)
		if b, err := shot.CombinedOutput(); err != nil {
			t.Errorf("screenshot of Haul's window: %v\n%s", err, b)
		}
	}

	// Haul's requests for the master (its qualities and its download)
	// carry the page as Referer, the stream path's cookie and the
	// browser's User-Agent.
	haulReqs := sc.haulRequests(streamMaster)
	if len(haulReqs) < 2 {
		t.Fatalf("%d requests from Haul for the master, want its qualities' and its download's", len(haulReqs))
	}
	for _, r := range haulReqs {
		if ref := r.Header.Get("Referer"); ref != sc.page {
			t.Errorf("Haul's request: Referer %q, want the page %q", ref, sc.page)
		}
		if c := r.Header.Get("Cookie"); c != "cdn=stream-cookie" {
			t.Errorf("Haul's request: Cookie %q, want the stream path's cookie", c)
		}
		if ua := r.Header.Get("User-Agent"); !strings.Contains(ua, "Chrome/") {
			t.Errorf("Haul's request: User-Agent %q, want the browser's", ua)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
