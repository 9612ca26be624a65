// Command haul-testserver serves generated files on loopback for manual
// testing, screenshots and benchmarks: data files of a chosen size, small
// real PNG and JPEG images and, with -hls and -dash, the HLS and DASH
// test streams. It
// prints the URLs, one per line, and serves until interrupted (SIGINT or
// SIGTERM). On SIGUSR1 it prints "sent N" to standard error: the body
// bytes it has sent so far.
//
//	haul-testserver -files 3 -size 100M -throttle 2M
//	haul-testserver -files 0 -images 0 -hls -dash -throttle 20K
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/internal/human"
)

// maxTotal bounds the generated data, all of which is held in memory.
const maxTotal = 8 << 30

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "haul-testserver:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "haul-testserver:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// byteSize is a flag value in bytes that accepts a K, M or G suffix
// (powers of 1024).
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseSize(s string) (int64, error) {
	n, err := human.ParseBytes(s)
	if err != nil || n > maxTotal {
		return 0, fmt.Errorf("%q is not a size in bytes (e.g. 1048576, 512K, 10M, 1G)", s)
	}
	return n, nil
}

// run serves until ctx ends, writing the URLs to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("haul-testserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `host:port` to listen on (port 0 picks a free port)")
	files := fs.Int("files", 5, "number of data files")
	size := byteSize(10 << 20)
	fs.Var(&size, "size", "size of each data file in `bytes` (K, M, G suffixes allowed)")
	images := fs.Int("images", 4, "number of images, alternating PNG and JPEG")
	throttle := byteSize(0)
	fs.Var(&throttle, "throttle", "limit each response to `bytes/s` (0: unlimited)")
	hls := fs.Bool("hls", false, "also serve the HLS fixtures under /hls/ and print their playlists' URLs")
	dash := fs.Bool("dash", false, "also serve the DASH fixtures under /dash/ and print their manifests' URLs")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *files < 0 || *images < 0 {
		return fmt.Errorf("%w: -files and -images must not be negative", errUsage)
	}
	if int64(*files) > maxTotal/max(int64(size), 1) {
		return fmt.Errorf("%w: %d files of %d bytes is more than this tool keeps in memory", errUsage, *files, int64(size))
	}
	if err := checkLoopback(*addr); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	s, err := testserver.Listen(*addr)
	if err != nil {
		return err
	}
	defer s.Close()

	var opts []testserver.Option
	if throttle > 0 {
		opts = append(opts, testserver.Throttle(int64(throttle)))
	}
	var paths []string
	for i := 1; i <= *files; i++ {
		p := fmt.Sprintf("/file-%03d.bin", i)
		s.Add(p, testserver.Content(int(size), uint64(i)), opts...)
		paths = append(paths, p)
	}
	for i := 1; i <= *images; i++ {
		p := fmt.Sprintf("/image-%03d.png", i)
		data := testserver.PNG(640, 480, uint64(i))
		if i%2 == 0 {
			p = fmt.Sprintf("/image-%03d.jpg", i)
			data = testserver.JPEG(640, 480, uint64(i))
		}
		s.Add(p, data, opts...)
		paths = append(paths, p)
	}

	if *hls {
		paths = append(paths, addHLS(s, int64(throttle))...)
	}
	if *dash {
		var opts []testserver.HLSOption
		if throttle > 0 {
			opts = append(opts, testserver.ThrottleSegments(int64(throttle)))
		}
		s.AddDASH("/dash", opts...)
		for _, d := range []string{"number", "timeline", "list", "base"} {
			paths = append(paths, "/dash/"+d+"/manifest.mpd")
		}
	}

	// SIGUSR1 prints the body bytes sent so far, for benchmarks that
	// count what a download cost the server. It is caught from before the
	// URLs are printed, so a caller that read them may signal at once.
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(usr1)

	w := bufio.NewWriter(stdout)
	for _, p := range paths {
		fmt.Fprintln(w, s.URL(p))
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("print URLs: %w", err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-usr1:
			fmt.Fprintf(stderr, "sent %d\n", s.TotalBytesSent())
		}
	}
}

// addHLS serves the HLS fixtures (segments throttled like the files) and
// returns the paths of their top-level playlists.
func addHLS(s *testserver.Server, throttle int64) []string {
	var opts []testserver.HLSOption
	if throttle > 0 {
		opts = append(opts, testserver.ThrottleSegments(throttle))
	}
	s.AddHLS("/hls", opts...)
	return []string{"/hls/ts/index.m3u8", "/hls/aes/index.m3u8", "/hls/fmp4/index.m3u8",
		"/hls/fmp4-range/index.m3u8", "/hls/master/master.m3u8", "/hls/audio/master.m3u8"}
}

// checkLoopback refuses addresses that would serve beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address (use 127.0.0.1, ::1 or localhost)", addr)
}
