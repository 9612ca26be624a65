package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-files", "2", "-size", "3K", "-images", "2", "-throttle", "1M"}, pw, io.Discard)
		pw.Close()
	}()

	sc := bufio.NewScanner(pr)
	var urls []string
	for len(urls) < 4 && sc.Scan() {
		urls = append(urls, sc.Text())
	}
	if len(urls) != 4 {
		t.Fatalf("printed %q", urls)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	for _, u := range urls {
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Fatalf("URL %q", u)
		}
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d, %v", u, resp.StatusCode, err)
		}
		ct := resp.Header.Get("Content-Type")
		switch {
		case strings.HasSuffix(u, ".bin"):
			if len(body) != 3<<10 {
				t.Errorf("%s: %d bytes", u, len(body))
			}
		case strings.HasSuffix(u, ".png"), strings.HasSuffix(u, ".jpg"):
			_, format, err := image.Decode(bytes.NewReader(body))
			if err != nil || "image/"+format != ct {
				t.Errorf("%s: format %q, Content-Type %q, err %v", u, format, ct, err)
			}
		default:
			t.Errorf("unexpected URL %s", u)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "example.com:80"},
		{"-addr", "nonsense"},
		{"-size", "lots"},
		{"-size", "-5"},
		{"-files", "-1"},
		{"-files", "100", "-size", "1G"},
		{"extra"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1500": 1500, "512K": 512 << 10, "10m": 10 << 20, "1G": 1 << 30, "2MiB": 2 << 20, "3KB": 3 << 10, "1.5M": 3 << 19} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "K", "-1", "9G", "1T", "1e6"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}

// servesStreams runs the server with flag and checks the n URLs it
// prints answer 200 with contentType and a body that starts with head.
func servesStreams(t *testing.T, flag string, n int, contentType, head string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-files", "0", "-images", "0", flag}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var urls []string
	for len(urls) < n && sc.Scan() {
		urls = append(urls, sc.Text())
	}
	if len(urls) != n {
		t.Fatalf("printed %q", urls)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	for _, u := range urls {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(body), head) || resp.Header.Get("Content-Type") != contentType {
			t.Errorf("%s: %d %q %.20q", u, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestServesHLSFixtures(t *testing.T) {
	servesStreams(t, "-hls", 6, "application/vnd.apple.mpegurl", "#EXTM3U\n")
}

func TestServesDASHFixtures(t *testing.T) {
	servesStreams(t, "-dash", 4, "application/dash+xml", "<?xml")
}

func TestSIGUSR1PrintsTheBytesSent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	er, ew := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-files", "1", "-size", "5000", "-images", "0"}, pw, ew)
		pw.Close()
		ew.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		t.Fatal("no URL printed")
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", sc.Text(), nil)
	req.Header.Set("Range", "bytes=1000-")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	// run catches the signal from before it printed its URLs.
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	es := bufio.NewScanner(er)
	if !es.Scan() || es.Text() != "sent 4000" {
		t.Fatalf("stderr line %q, want \"sent 4000\"", es.Text())
	}
	go io.Copy(io.Discard, er)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}
