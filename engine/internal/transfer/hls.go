package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"sync/atomic"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/safename"
)

// HLS is the Protocol for HTTP Live Streaming playlists: the playlist is
// resolved (a master playlist's variant chosen by Quality), and the
// segments of the chosen stream, fetched in parallel over the download's
// connections, decrypted (AES-128) and written in order, make NAME.part:
// MPEG-TS (.ts) or fragmented MP4 (.mp4, init section first). A variant
// whose audio is a separate rendition gets its audio in a side file
// (AudioPart), muxed with the video into one .mp4 when ffmpeg is on the
// PATH, else kept next to the video.
//
// Its State (see Job.SetState) is the plan's fingerprint and the part to
// fetch next with the .part position where it starts: a resume goes on
// from that part, and a playlist that plans to another fingerprint starts
// over. Keys are kept in memory only, never in the state or in messages.
//
// Use a new *HLS for each Run: it keeps the resolved playlist between
// Begin and Fill.
type HLS struct {
	Quality string // "best" (or ""), "worst", or a height such as "720"

	stream *hls.Stream
	keys   map[string][]byte // by key URL, fetched once per run
	// inflight counts the bytes of segments fetched but not yet written,
	// so that the progress (and the speed) moves while they arrive.
	inflight atomic.Int64
}

// AudioPart is the side file that holds a separate audio rendition while
// the download of name runs.
func AudioPart(name string) string { return name + ".audio" + PartSuffix }

// ErrPlaylist is what HTTP's Begin returns when the link turned out to
// be an HLS playlist (by its Content-Type): the owner should run the
// download again with HLS.
var ErrPlaylist = errors.New("the link is an HLS playlist")

// hlsState is HLS's saved progress.
type hlsState struct {
	FP      string `json:"fp"`               // the plan's fingerprint (video and audio)
	Next    int    `json:"next"`             // the part to fetch next (index into parts)
	At      int64  `json:"at"`               // .part position where part Next starts (video parts)
	AudioAt int64  `json:"audioAt"`          // AudioPart position where part Next starts (audio parts)
	Muxing  bool   `json:"muxing,omitempty"` // every part is in; the mux replaces the .part
}

// part is one thing to fetch of the stream: a video part goes into the
// .part file, an audio part into AudioPart.
type part struct {
	hls.Part
	plan  *hls.Plan
	audio bool
	init  bool // the init section (not counted as a segment)
	index int  // 1-based segment number within its plan, for messages
}

// Begin resolves the playlist and describes the file to make.
func (h *HLS) Begin(ctx context.Context, j *Job) (*Start, error) {
	if err := h.resolve(ctx, j); err != nil {
		return nil, err
	}
	st := &Start{Total: -1, Ranges: true, Name: h.fileName(j), ContentType: "video/mp2t"}
	if h.stream.Video.Container == hls.ContainerMP4 {
		st.ContentType = "video/mp4"
	}
	if h.stream.Audio != nil {
		if _, err := hls.FindFFmpeg(); err != nil {
			st.Warning = "the audio is a separate stream and ffmpeg is not installed: it is saved next to the video, not joined with it"
		}
	}
	return st, nil
}

// resolve fetches the playlist(s) through the job's client and plans the
// chosen stream.
func (h *HLS) resolve(ctx context.Context, j *Job) error {
	q, err := hls.ParseQuality(h.Quality)
	if h.Quality == "" {
		q, err = hls.Best, nil
	}
	if err != nil {
		return &PolicyError{err.Error()}
	}
	st, err := hls.Resolve(ctx, h.playlistFetch(j), j.spec.URL.String(), q, hls.Limits{})
	if err != nil {
		return err
	}
	h.stream = st
	return nil
}

// fileName is the name the playlist URL gives, with the container's
// extension: .mp4 when a separate audio will be muxed into it.
func (h *HLS) fileName(j *Job) string {
	ext := h.stream.Video.Ext
	if h.stream.Audio != nil {
		if _, err := hls.FindFFmpeg(); err == nil {
			ext = ".mp4"
		}
	}
	return streamName(j.spec.URL, ext)
}

// streamName is the last segment of the playlist URL without its
// .m3u8, plus ext; the host's name when the URL has none.
func streamName(u *url.URL, ext string) string {
	base := safename.FromURL(u)
	if e := path.Ext(base); strings.EqualFold(e, ".m3u8") || strings.EqualFold(e, ".m3u") {
		base = base[:len(base)-len(e)]
	}
	name := safename.Sanitize(base + ext)
	if base == "" || name == "" {
		name = safename.Sanitize(u.Hostname() + ext)
	}
	if name == "" {
		name = "video" + ext
	}
	return name
}

// fingerprint identifies what the stream's bytes will be.
func (h *HLS) fingerprint() string {
	fp := h.stream.Video.Fingerprint
	if h.stream.Audio != nil {
		fp += "+" + h.stream.Audio.Fingerprint
	}
	return fp
}

// parts lists everything to fetch, in the order it is written: the
// video's init section and segments, then the audio's.
func (h *HLS) parts() []part {
	var out []part
	add := func(pl *hls.Plan, audio bool) {
		if pl.Init != nil {
			out = append(out, part{Part: *pl.Init, plan: pl, audio: audio, init: true})
		}
		for i := range pl.Segments {
			out = append(out, part{Part: pl.Segments[i], plan: pl, audio: audio, index: i + 1})
		}
	}
	add(h.stream.Video, false)
	if h.stream.Audio != nil {
		add(h.stream.Audio, true)
	}
	return out
}

// Fill fetches and writes every part not yet in, then (with separate
// audio) joins or places the audio.
func (h *HLS) Fill(ctx context.Context, j *Job, start *Start, slot *Slot) error {
	var st hlsState
	if b := j.State(); b != nil {
		if err := json.Unmarshal(b, &st); err != nil {
			return fmt.Errorf("the saved progress of the stream is unreadable: %w", ErrChanged)
		}
	}
	if h.stream == nil { // a resume: the playlist again
		if err := h.resolve(ctx, j); err != nil {
			return err
		}
	}
	fp := h.fingerprint()
	switch {
	case st.FP != "" && st.FP != fp:
		return fmt.Errorf("the playlist changed since the download began: %w", ErrChanged)
	case st.Muxing:
		return fmt.Errorf("the download stopped while joining video and audio: %w", ErrChanged)
	}
	st.FP = fp
	if err := h.fetchKeys(ctx, j); err != nil {
		return err
	}
	return j.Pool(ctx, slot, nil, nil, func(ctx context.Context, sp *Span, _ io.ReadCloser, _ func()) error {
		if err := h.fillSpan(ctx, j, sp, st); err != nil {
			return err
		}
		if _, _, done := j.Position(sp); !done {
			return &ProtocolError{"the stream ended before its last segment"} // never a file that looks complete
		}
		return nil
	}, false)
}

// fetchKeys fetches each key of the stream once.
func (h *HLS) fetchKeys(ctx context.Context, j *Job) error {
	if h.keys == nil {
		h.keys = map[string][]byte{}
	}
	for _, pl := range []*hls.Plan{h.stream.Video, h.stream.Audio} {
		if pl == nil {
			continue
		}
		for i, u := range pl.Keys {
			if _, ok := h.keys[u]; ok {
				continue
			}
			k, err := j.fetchKey(ctx, u)
			if err != nil {
				return fmt.Errorf("key %d of the stream: %w", i+1, err)
			}
			h.keys[u] = k
		}
	}
	return nil
}

// segProgress counts the segments written, for a SegmentReporter.
type segProgress struct {
	total, done           int
	videoTotal, videoDone int
	est                   int64 // first guess of the video's size; 0: none
}

func (h *HLS) newProgress(j *Job, parts []part, from int) *segProgress {
	p := &segProgress{}
	for k, pt := range parts {
		if pt.init {
			continue
		}
		p.total++
		if !pt.audio {
			p.videoTotal++
		}
		if k < from {
			p.done++
			if !pt.audio {
				p.videoDone++
			}
		}
	}
	var bw int64
	if v := h.stream.Variant; v != nil {
		if bw = v.AverageBandwidth; bw <= 0 {
			bw = v.Bandwidth
		}
	}
	p.est = h.stream.Video.EstimateSize(bw)
	return p
}

func (p *segProgress) add(pt *part, n int) {
	if pt.init {
		return
	}
	p.done++
	if !pt.audio {
		p.videoDone++
	}
}

// report tells the reporter the segments done and the video's size as
// estimated now: from the bytes per segment so far, else the playlist's
// bandwidth; exact once the video is in.
func (p *segProgress) report(j *Job) {
	sr, ok := j.rep.(SegmentReporter)
	if !ok {
		return
	}
	got := j.received()
	est := p.est
	switch {
	case p.videoDone >= p.videoTotal:
		est = got
	case p.videoDone > 0:
		est = got * int64(p.videoTotal) / int64(p.videoDone)
	}
	sr.Segments(p.done, p.total, est)
}

// TentativeStreamName is the name shown for an HLS link before its
// playlist is read: the playlist URL's, as a .ts file.
func TentativeStreamName(u *url.URL) string { return streamName(u, ".ts") }
