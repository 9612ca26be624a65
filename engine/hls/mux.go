package hls

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoFFmpeg is Mux's answer when ffmpeg is not on the PATH: the video
// and its separate audio cannot be joined into one file.
var ErrNoFFmpeg = errors.New("ffmpeg not found on PATH, so the video and its audio stay in separate files")

// FindFFmpeg returns the path of ffmpeg on the PATH, or ErrNoFFmpeg.
func FindFFmpeg() (string, error) {
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoFFmpeg, err)
	}
	return p, nil
}

// Mux writes an MP4 at outPath holding the first video stream of
// videoPath and the first audio stream of audioPath, copied without
// re-encoding (ffmpeg -c copy). outPath is replaced if it exists and
// removed if Mux fails. Cancelling ctx stops ffmpeg and returns
// ctx.Err(), wrapped. Without ffmpeg it returns ErrNoFFmpeg and touches
// nothing.
func Mux(ctx context.Context, videoPath, audioPath, outPath string) error {
	ff, err := FindFFmpeg()
	if err != nil {
		return err
	}
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-i", ffFile(videoPath), "-i", ffFile(audioPath),
		"-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-f", "mp4", ffFile(outPath)}
	cmd := exec.CommandContext(ctx, ff, args...)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if err == nil {
		return nil
	}
	_ = os.Remove(outPath)
	if ctx.Err() != nil {
		return fmt.Errorf("mux %s: %w", filepath.Base(outPath), ctx.Err())
	}
	msg := strings.TrimSpace(stderr.String())
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("mux %s with ffmpeg: %s", filepath.Base(outPath), msg)
}

// ffFile names a local path for ffmpeg so that a leading "-" or a colon
// (which ffmpeg reads as a protocol, e.g. "concat:") cannot change its
// meaning.
func ffFile(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return "file:" + p
}

// tailBuffer keeps the last tailMax bytes written to it.
type tailBuffer struct{ b bytes.Buffer }

const tailMax = 2048

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > tailMax {
		p = p[len(p)-tailMax:]
	}
	t.b.Write(p)
	if extra := t.b.Len() - tailMax; extra > 0 {
		t.b.Next(extra)
	}
	return n, nil
}

func (t *tailBuffer) String() string { return t.b.String() }
