package hls

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// This file downloads the fixtures the way the engine will, with a
// minimal sequential fetcher, to check that a Plan's parts, fetched,
// decrypted and concatenated in order, are exactly the expected file.

// get fetches u (with a Range for r) and returns the body and the final
// URL after redirects.
func get(t *testing.T, c *http.Client, u string, r *ByteRange) ([]byte, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := http.StatusOK
	if r != nil {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", r.Offset, r.End()-1))
		want = http.StatusPartialContent
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != want {
		t.Fatalf("GET %s: %d, %v", u, resp.StatusCode, err)
	}
	if r != nil && int64(len(body)) != r.Length {
		t.Fatalf("GET %s: %d bytes for a range of %d", u, len(body), r.Length)
	}
	return body, resp.Request.URL.String()
}

// fetchPlaylist fetches and parses the playlist at u, resolving against
// the URL it ended up at.
func fetchPlaylist(t *testing.T, c *http.Client, u string) *Playlist {
	t.Helper()
	body, final := get(t, c, u, nil)
	p, err := Parse(bytes.NewReader(body), mustURL(t, final), Limits{})
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return p
}

// download fetches every part of pl in order, decrypting as needed.
func download(t *testing.T, c *http.Client, pl *Plan) []byte {
	t.Helper()
	keys := make([][]byte, len(pl.Keys))
	for i, k := range pl.Keys {
		keys[i], _ = get(t, c, k, nil)
	}
	var out []byte
	parts := pl.Segments
	if pl.Init != nil {
		parts = append([]Part{*pl.Init}, parts...)
	}
	for _, p := range parts {
		b, _ := get(t, c, p.URL, p.Range)
		if p.Encrypted() {
			var err error
			if b, err = Decrypt(keys[p.Key], p.IV, b); err != nil {
				t.Fatalf("%s: %v", p.URL, err)
			}
		}
		out = append(out, b...)
	}
	return out
}

// sha is the SHA-256 of b in hex.
func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// expectedSum is the committed SHA-256 of what a fixture stream must
// download to ("ts", "aes", "audio/video", ...).
func expectedSum(t *testing.T, dir string) string {
	t.Helper()
	return testserver.HLSExpectedSum(dir)
}

func serve(t *testing.T) (*testserver.Server, *http.Client) {
	t.Helper()
	s := testserver.New()
	t.Cleanup(s.Close)
	s.AddHLS("/hls")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return s, &http.Client{Transport: tr}
}

func TestPlansDownloadToTheExpectedFiles(t *testing.T) {
	s, c := serve(t)
	for _, dir := range []string{"ts", "aes", "fmp4", "fmp4-range", "master/lo", "audio/video", "audio/audio"} {
		t.Run(dir, func(t *testing.T) {
			pl, err := NewPlan(fetchPlaylist(t, c, s.URL("/hls/"+dir+"/index.m3u8")).Media)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(download(t, c, pl))
			if got := hex.EncodeToString(sum[:]); got != expectedSum(t, dir) {
				t.Fatalf("downloaded file hashes to %s, want %s", got, expectedSum(t, dir))
			}
		})
	}
	// Each key was fetched once for the whole stream.
	f := s.HLSFetches("/hls")
	if f["aes/key1.key"] != 1 || f["aes/key2.key"] != 1 {
		t.Errorf("key fetches %v", f)
	}
}

func TestMasterThroughARedirectDownloadsTheChosenVariant(t *testing.T) {
	s, c := serve(t)
	// A short link redirects to the master playlist; its relative URIs
	// (including "../ts/index.m3u8") must resolve against where it
	// really is.
	s.Add("/watch", nil, testserver.Redirect(302, "/hls/master/master.m3u8"))
	m := fetchPlaylist(t, c, s.URL("/watch")).Master
	for q, dir := range map[Quality]string{Best: "ts", Worst: "master/lo", Height(54): "master/lo"} {
		ch, err := m.Choose(q)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := NewPlan(fetchPlaylist(t, c, ch.Variant.URL).Media)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(download(t, c, pl))
		if got := hex.EncodeToString(sum[:]); got != expectedSum(t, dir) {
			t.Errorf("%v: got the file of another variant than %s", q, dir)
		}
	}
}

func TestDecryptGivesThePlaintextSegments(t *testing.T) {
	root := testserver.HLSFixtures()
	read := func(name string) []byte {
		b, err := fs.ReadFile(root, name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pl, err := NewPlan(fixture(t, "aes/index.m3u8").Media)
	if err != nil {
		t.Fatal(err)
	}
	keys := [][]byte{read("aes/key1.key"), read("aes/key2.key")}
	for i, p := range pl.Segments {
		name := "seg" + strconv.Itoa(i) + ".ts"
		plain, err := Decrypt(keys[p.Key], p.IV, read("aes/"+name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(plain, read("ts/"+name)) {
			t.Fatalf("%s decrypts to something else than ts/%s", name, name)
		}
		// The wrong key never passes silently as a segment: it fails the
		// padding check or gives other bytes.
		other := keys[1-p.Key]
		if bad, err := Decrypt(other, p.IV, read("aes/"+name)); err == nil && bytes.Equal(bad, read("ts/"+name)) {
			t.Fatalf("%s decrypts with the other key", name)
		}
	}
}

func TestDecryptErrors(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	if _, err := Decrypt(key[:15], [16]byte{}, make([]byte, 16)); !errors.Is(err, ErrKeySize) || !strings.Contains(err.Error(), "15 bytes") {
		t.Errorf("short key: %v", err)
	}
	if _, err := Decrypt(append(key, 0), [16]byte{}, make([]byte, 16)); !errors.Is(err, ErrKeySize) {
		t.Errorf("long key: %v", err)
	}
	for _, n := range []int{0, 15, 17} {
		if _, err := Decrypt(key, [16]byte{}, make([]byte, n)); !errors.Is(err, ErrPadding) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
	// Encrypt blocks with chosen last bytes, to reach each padding check.
	for name, last := range map[string][]byte{
		"zero":       append(bytes.Repeat([]byte{1}, 15), 0),
		"over 16":    append(bytes.Repeat([]byte{1}, 15), 17),
		"mixed pads": append(bytes.Repeat([]byte{1}, 13), 2, 3, 3),
	} {
		if _, err := Decrypt(key, [16]byte{}, encrypt(t, key, last)); !errors.Is(err, ErrPadding) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, pad := range []int{1, 16} {
		plain := append(bytes.Repeat([]byte{'x'}, 16-pad%16), bytes.Repeat([]byte{byte(pad)}, pad)...)
		got, err := Decrypt(key, [16]byte{}, encrypt(t, key, plain))
		if err != nil || len(got) != len(plain)-pad {
			t.Errorf("padding %d: %d bytes, %v", pad, len(got), err)
		}
	}
}

func TestConcatenatedOutputDecodes(t *testing.T) {
	needTool(t, "ffprobe")
	s, c := serve(t)
	for _, dir := range []string{"aes", "fmp4-range"} {
		pl, err := NewPlan(fetchPlaylist(t, c, s.URL("/hls/"+dir+"/index.m3u8")).Media)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out"+pl.Ext)
		if err := os.WriteFile(out, download(t, c, pl), 0o600); err != nil {
			t.Fatal(err)
		}
		got := probeDuration(t, out)
		if want := pl.Duration.Seconds(); got < want-0.25 || got > want+0.25 {
			t.Errorf("%s: ffprobe says %.3f s, the playlist %.3f s", dir, got, want)
		}
	}
}

// probeDuration asks ffprobe for a file's duration in seconds, after
// decoding every frame with ffmpeg (when it is there too) so that a
// broken file fails.
func probeDuration(t *testing.T, path string) float64 {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	path = "file:" + abs // no name is read as an option or a protocol
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		cmd := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", path, "-f", "null", "-")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s does not decode: %v\n%s", filepath.Base(path), err, out)
		}
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe duration %q: %v", out, err)
	}
	return d
}

// encrypt AES-128-CBC-encrypts whole blocks with a zero IV, adding no
// padding.
func encrypt(t *testing.T, key, plain []byte) []byte {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(b, make([]byte, 16)).CryptBlocks(out, plain)
	return out
}
