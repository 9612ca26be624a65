// Package segmented is the Protocol shared by the streaming formats
// (HLS, DASH): a manifest, read by a Source, plans a video track and
// perhaps a separate audio track of segments; their segments are fetched
// in parallel over the download's connections, a bounded read-ahead of
// them held in memory, and written in order, the video's into NAME.part
// and the audio's into a side file (transfer.AudioPart). The audio is
// joined with the video by ffmpeg when it is installed, else kept beside
// it. A resume goes on from the segment after the last one in.
//
// It uses only the transfer's Protocol/Job seam; the formats' own
// packages (transfer/hls, transfer/dash) use only this package and that
// seam.
package segmented

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"sync/atomic"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/safename"
)

// Source reads a stream's manifest into a Plan: what a streaming format
// adds to this package.
type Source interface {
	// Resolve fetches the manifest (and what it refers to, such as HLS
	// media playlists or keys) through j and plans the stream.
	Resolve(ctx context.Context, j *transfer.Job) (*Plan, error)
}

// Plan is a stream resolved to what must be fetched.
type Plan struct {
	Kind        string // "HLS", "DASH": for the row
	Quality     string // the video's quality for the row, such as "720p"; "" unknown
	Stem        string // the file name without its extension (see Stem)
	ContentType string // of the video file
	Video       *Track
	Audio       *Track // a separate audio track; nil when none
	// ApartExt, if set, is the video file's extension when its separate
	// audio is kept beside it (no ffmpeg): DASH's ".video.mp4".
	ApartExt string
	// Estimate is a first guess of the video file's size (0: none),
	// shown until segments arrive.
	Estimate int64
}

// Track is one file's worth of segments: the init section (if any), then
// the segments, written in this order make the file.
type Track struct {
	Ext string // the file's extension: ".ts", ".mp4", ".m4a", ...
	// Fingerprint identifies the list of parts: a resume whose manifest
	// plans another fingerprint starts over.
	Fingerprint string
	Init        *Part
	Segments    []Part
}

// Part is one resource to fetch: a segment or an init section.
type Part struct {
	URL    string
	Range  *Range // nil: the whole resource
	Decode func([]byte) ([]byte, error)
}

// Range is Length bytes from Offset.
type Range struct{ Offset, Length int64 }

// End is the offset just past the range.
func (r Range) End() int64 { return r.Offset + r.Length }

// Protocol fetches the stream its Source plans. Use a new one for each
// transfer.Run: it keeps the plan between Begin and Fill.
type Protocol struct {
	Source Source

	plan *Plan
	// inflight counts the bytes of segments fetched but not yet written,
	// so that the progress (and the speed) moves while they arrive.
	inflight atomic.Int64
	// ReadAhead caps the segments and bytes fetched ahead of the writer;
	// zero fields take the defaults (twice the connections, at least 8;
	// DefaultReadAheadBytes).
	ReadAhead ReadAhead
}

// state is the saved progress.
type state struct {
	FP      string `json:"fp"`               // the plan's fingerprint (video and audio)
	Next    int    `json:"next"`             // the part to fetch next (index into parts)
	At      int64  `json:"at"`               // .part position where part Next starts (video parts)
	AudioAt int64  `json:"audioAt"`          // AudioPart position where part Next starts (audio parts)
	Muxing  bool   `json:"muxing,omitempty"` // every part is in; the mux replaces the .part
	// Mixed says Next counts parts with the video's and audio's
	// segments interleaved (see parts); a state saved before they were
	// counted video first is not continued.
	Mixed bool `json:"mixed,omitempty"`
}

func (s state) encode() []byte {
	b, _ := json.Marshal(s) // plain data: cannot fail
	return b
}

// Begin reads the manifest and describes the file to make.
func (p *Protocol) Begin(ctx context.Context, j *transfer.Job) (*transfer.Start, error) {
	if err := p.resolve(ctx, j); err != nil {
		return nil, err
	}
	st := &transfer.Start{Total: -1, Ranges: true, Name: p.fileName(), ContentType: p.plan.ContentType}
	if p.plan.Audio != nil && !haveFFmpeg() {
		st.Warning = "the audio is a separate stream and ffmpeg is not installed: it is saved next to the video, not joined with it"
	}
	return st, nil
}

func (p *Protocol) resolve(ctx context.Context, j *transfer.Job) error {
	pl, err := p.Source.Resolve(ctx, j)
	if err != nil {
		return err
	}
	if pl.Video == nil || len(pl.Video.Segments) == 0 {
		return &transfer.ProtocolError{Msg: "the stream has no segments"}
	}
	p.plan = pl
	j.Stream(pl.Kind, pl.Quality)
	return nil
}

func haveFFmpeg() bool {
	_, err := hls.FindFFmpeg()
	return err == nil
}

// fileName is the stem with the video's extension, or .mp4 when a
// separate audio will be joined with it.
func (p *Protocol) fileName() string { return NameOf(p.plan.Stem, p.videoExt()) }

// videoExt is the video file's extension: .mp4 when a separate audio
// will be joined with it, else the track's (or ApartExt when the audio
// stays apart).
func (p *Protocol) videoExt() string {
	switch {
	case p.plan.Audio == nil:
		return p.plan.Video.Ext
	case haveFFmpeg():
		return ".mp4"
	case p.plan.ApartExt != "":
		return p.plan.ApartExt
	}
	return p.plan.Video.Ext
}

// NameOf is stem+ext made a safe file name; "video"+ext when nothing of
// stem is left.
func NameOf(stem, ext string) string {
	if name := safename.Sanitize(stem + ext); stem != "" && name != "" {
		return name
	}
	return "video" + ext
}

// Stem is the manifest URL's last segment without its extension when
// that is one of exts (".m3u8", ".mpd"), else the whole segment; the
// host's name when the URL has none.
func Stem(u *url.URL, exts ...string) string {
	base := safename.FromURL(u)
	e := path.Ext(base)
	for _, x := range exts {
		if strings.EqualFold(e, x) {
			base = base[:len(base)-len(e)]
			break
		}
	}
	if base == "" || safename.Sanitize(base) == "" {
		return u.Hostname()
	}
	return base
}

// fingerprint identifies what the stream's bytes will be.
func (p *Protocol) fingerprint() string {
	fp := p.plan.Video.Fingerprint
	if p.plan.Audio != nil {
		fp += "+" + p.plan.Audio.Fingerprint
	}
	return fp
}

// Fill fetches and writes every part not yet in, then (with separate
// audio) joins or places the audio.
func (p *Protocol) Fill(ctx context.Context, j *transfer.Job, _ *transfer.Start, slot *transfer.Slot) error {
	var st state
	if b := j.State(); b != nil {
		if err := json.Unmarshal(b, &st); err != nil {
			return fmt.Errorf("the saved progress of the stream is unreadable: %w", transfer.ErrChanged)
		}
	}
	if p.plan == nil { // a resume: the manifest again
		if err := p.resolve(ctx, j); err != nil {
			return err
		}
	}
	fp := p.fingerprint()
	switch {
	case st.FP != "" && st.FP != fp:
		return fmt.Errorf("the manifest changed since the download began: %w", transfer.ErrChanged)
	case st.Muxing:
		return fmt.Errorf("the download stopped while joining video and audio: %w", transfer.ErrChanged)
	case st.FP != "" && p.plan.Audio != nil && !st.Mixed:
		return fmt.Errorf("the saved progress counts the audio after the video: %w", transfer.ErrChanged)
	}
	st.FP, st.Mixed = fp, true
	return j.Pool(ctx, slot, nil, nil, func(ctx context.Context, sp *transfer.Span, _ io.ReadCloser, _ func()) error {
		if err := p.fillSpan(ctx, j, sp, st); err != nil {
			return err
		}
		if _, _, done := j.Position(sp); !done {
			return &transfer.ProtocolError{Msg: "the stream ended before its last segment"} // never a file that looks complete
		}
		return nil
	}, false)
}
