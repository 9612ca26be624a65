// Command demo shows Haul's window over a loopback server, for
// screenshots and for looking at the window by hand:
//
//	go run ./gui/internal/demo -n 12      # a few downloads running
//	go run ./gui/internal/demo -n 0       # the empty window
//	go run ./gui/internal/demo -n 1000    # a long list
//	go run ./gui/internal/demo list.txt   # and the links of a file
//	go run ./gui/internal/demo -watch-clipboard # offer links copied elsewhere
//	go run ./gui/internal/demo -odd       # and awkward cases: a refused
//	                                      # redirect, long names and errors,
//	                                      # CJK and emoji names
//
// Files are served slowly so they stay in progress; some have no size,
// some are missing (404) to show errors. Everything lives in a temporary
// folder that is removed on exit.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/haul-dl/haul/gui"
)

func main() {
	n := flag.Int("n", 12, "number of links to add at start")
	rate := flag.Int("rate", 400<<10, "bytes per second each file is served at")
	size := flag.Int("size", 40<<20, "size of each served file in bytes")
	state := flag.String("state", "", "state folder (default: a temporary one)")
	odd := flag.Bool("odd", false, "add awkward cases first: a refused redirect, long names and errors, CJK and emoji names")
	watch := flag.Bool("watch-clipboard", false, "turn on Settings' clipboard watching (links copied in other programs are offered)")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "haul-demo")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	// Keep the demo's settings away from the user's own Haul.
	config := filepath.Join(tmp, "config")
	if err := os.MkdirAll(config, 0o700); err != nil {
		log.Fatal(err)
	}
	os.Setenv("XDG_CONFIG_HOME", config)
	if *watch {
		if err := watchClipboard(config); err != nil {
			log.Fatal(err)
		}
	}
	if *state == "" {
		*state = filepath.Join(tmp, "state")
	}

	srv := httptest.NewServer(handler(*rate, *size))
	defer srv.Close()

	names := []string{"holiday-photos.zip", "Big Buck Bunny (1080p).mp4", "ubuntu-24.04-desktop-amd64.iso",
		"podcast-episode-42.mp3", "report-2025.pdf", "IMG_0042.jpg", "dataset.tar.gz", "font-pack.zip"}
	kinds := []string{"file", "fast", "file", "missing", "nosize", "fast", "file", "file", "fast"}
	var links []string
	if *odd {
		long := strings.Repeat("very-long-file-name-of-a-conference-recording-", 4)
		links = append(links,
			srv.URL+"/redirect/elsewhere.zip", // refused: a redirect to ftp://
			srv.URL+"/file/"+long+"final-cut.mkv",
			srv.URL+"/missing/"+long+"/"+strings.Repeat("deeply/nested/", 6)+"page.html?session=0123456789abcdef&lang=en",
			srv.URL+"/file/"+url.PathEscape("東京の写真アルバム 2025 🎉📷.zip"),
			srv.URL+"/fast/"+url.PathEscape("Привет мир – résumé 📄.pdf"),
		)
	}
	for i := range *n {
		name := names[i%len(names)]
		if i >= len(names) {
			ext := filepath.Ext(name)
			name = fmt.Sprintf("%s-%04d%s", strings.TrimSuffix(name, ext), i, ext)
		}
		kind := kinds[i%len(kinds)]
		links = append(links, srv.URL+"/"+kind+"/"+strings.ReplaceAll(name, " ", "%20"))
	}
	links = append(links, flag.Args()...) // link files or URLs
	err = gui.Run(gui.Config{
		StateDir:    *state,
		DownloadDir: filepath.Join(tmp, "Downloads"),
		Links:       links,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// watchClipboard writes the preferences of a Haul that watches the
// clipboard into the demo's config folder, where Fyne reads them.
func watchClipboard(config string) error {
	dir := filepath.Join(config, "fyne", gui.AppID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("clipboard watching: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "preferences.json"), []byte(`{"watch_clipboard":true}`), 0o600); err != nil {
		return fmt.Errorf("clipboard watching: %w", err)
	}
	return nil
}

// handler serves /file/NAME (sized, ranges) and /nosize/NAME (no length)
// throttled to rate bytes per second, /fast/NAME (a few MiB at full
// speed), /redirect/NAME (a redirect to ftp://, which Haul refuses) and
// /missing/NAME (404).
func handler(rate, size int) http.Handler {
	data := bytes.Repeat([]byte("haul demo data\n"), size/15+1)[:size]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		switch kind {
		case "file":
			http.ServeContent(w, r, name, time.Unix(1e9, 0), &slowReader{ReadSeeker: bytes.NewReader(data), rate: rate})
		case "fast":
			http.ServeContent(w, r, name, time.Unix(1e9, 0), bytes.NewReader(data[:min(len(data), 3<<20)]))
		case "nosize":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.WriteHeader(http.StatusOK)
			io.Copy(w, &slowReader{ReadSeeker: bytes.NewReader(data), rate: rate})
		case "redirect":
			http.Redirect(w, r, "ftp://127.0.0.1/"+name, http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
}

// slowReader reads at about rate bytes per second.
type slowReader struct {
	io.ReadSeeker
	rate int
}

func (s *slowReader) Read(p []byte) (int, error) {
	chunk := max(s.rate/20, 1)
	if len(p) > chunk {
		p = p[:chunk]
	}
	time.Sleep(50 * time.Millisecond)
	return s.ReadSeeker.Read(p)
}
