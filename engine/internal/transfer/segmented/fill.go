package segmented

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/safename"
)

// part is one thing to fetch of the stream: a video part goes into the
// .part file, an audio part into AudioPart.
type part struct {
	Part
	track *Track
	audio bool
	init  bool // the init section (not counted as a segment)
	index int  // 1-based segment number within its track, for messages
}

// parts lists everything to fetch, in the order it is written: each
// track's init section first, then the video's and the audio's segments
// interleaved by their place in the stream (the track less far along
// next), so that the two are fetched in parallel rather than one after
// the other. The order depends only on the plan: a resume lists the same.
func (p *Protocol) parts() []part {
	var out []part
	tracks := []*Track{p.plan.Video}
	if p.plan.Audio != nil {
		tracks = append(tracks, p.plan.Audio)
	}
	for k, t := range tracks {
		if t.Init != nil {
			out = append(out, part{Part: *t.Init, track: t, audio: k == 1, init: true})
		}
	}
	video, audio := p.plan.Video.Segments, []Part(nil)
	if p.plan.Audio != nil {
		audio = p.plan.Audio.Segments
	}
	v, a := 0, 0
	for v < len(video) || a < len(audio) {
		// The one less far along, video first on a tie:
		// v/len(video) <= a/len(audio).
		if a >= len(audio) || v < len(video) && v*len(audio) <= a*len(video) {
			out = append(out, part{Part: video[v], track: p.plan.Video, index: v + 1})
			v++
		} else {
			out = append(out, part{Part: audio[a], track: p.plan.Audio, audio: true, index: a + 1})
			a++
		}
	}
	return out
}

// fillSpan writes parts[st.Next:] in order: fetched ahead by up to one
// worker per connection, each written once every part before it is.
func (p *Protocol) fillSpan(ctx context.Context, j *transfer.Job, sp *transfer.Span, st state) error {
	parts := p.parts()
	from := min(max(st.Next, 0), len(parts))
	if err := j.Truncate(sp, st.At); err != nil { // part Next was only partly in
		return err
	}
	var af transfer.File
	audio := transfer.AudioPart(j.Name())
	if p.plan.Audio != nil && from < len(parts) {
		f, err := j.OpenSide(audio, st.AudioAt) // flushed with each checkpoint
		if err != nil {
			return err
		}
		af = f
	}
	st.Next = from
	st.At, _, _ = j.Position(sp)
	j.SetState(st.encode()) // the fingerprint, before any byte of this run
	prog := p.newProgress(parts, from)
	prog.report(j)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	order, win, stop := p.fetchAhead(ctx, j, parts, from)
	defer func() {
		stop()
		p.inflight.Store(0) // what was fetched and not written is lost
		j.Progress(j.Received())
	}()
	for k := from; k < len(parts); k++ {
		var out chan fetched
		select {
		case out = <-order:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		var r fetched
		select {
		case r = <-out:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if r.err != nil {
			return r.err
		}
		win.written(k, int64(len(r.data))) // its bytes are the writer's now
		pt := &parts[k]
		data, err := pt.decode(r.data)
		if err != nil {
			return err
		}
		if !pt.audio {
			if err := j.Put(sp, data); err != nil {
				return err
			}
			// Its bytes now count as written rather than fetched.
			j.Progress(j.Received() + p.inflight.Add(-int64(len(r.data))))
		} else {
			if _, err := af.WriteAt(data, st.AudioAt); err != nil {
				return fmt.Errorf("writing %s: %w", audio, err)
			}
			st.AudioAt += int64(len(data))
		}
		// Part k is in: a resume goes on from part k+1, where it starts.
		st.Next = k + 1
		st.At, _, _ = j.Position(sp)
		j.SetState(st.encode())
		prog.add(pt)
		prog.report(j)
	}
	if p.plan.Audio != nil {
		if err := j.CloseSide(audio); err != nil {
			return err
		}
		return p.finishAudio(ctx, j, sp, st)
	}
	j.FinishOpen(sp)
	return nil
}

// decode returns the part's bytes as they go into the file (HLS:
// decrypted).
func (pt *part) decode(data []byte) ([]byte, error) {
	if pt.Decode == nil {
		return data, nil
	}
	plain, err := pt.Decode(data)
	if err != nil {
		return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("%s cannot be decoded: %v", pt.describe(), err)}
	}
	return plain, nil
}

// describe names a part for messages: "segment 3 of 40 (URL)".
func (pt *part) describe() string {
	what := "the init section"
	if !pt.init {
		what = fmt.Sprintf("segment %d of %d", pt.index, len(pt.track.Segments))
	}
	if pt.audio {
		what = "audio " + what
	}
	return what + " (" + transfer.RedactURL(pt.URL) + ")"
}

// finishAudio joins the video (the .part file) and the audio side file
// into one MP4 with ffmpeg, which then becomes the .part file; without
// ffmpeg it puts the audio next to the video under its own name.
func (p *Protocol) finishAudio(ctx context.Context, j *transfer.Job, sp *transfer.Span, st state) error {
	name := j.Name()
	audio := transfer.AudioPart(name)
	root := j.Root()
	if !haveFFmpeg() {
		if _, err := root.Lstat(audio); errors.Is(err, fs.ErrNotExist) {
			j.FinishOpen(sp) // placed by an earlier attempt
			return nil
		}
		stem, ok := strings.CutSuffix(name, p.videoExt())
		if !ok {
			stem = name[:len(name)-len(path.Ext(name))]
		}
		stem = strings.TrimSuffix(stem, ".video")
		final, err := safename.Unique(root, stem+".audio"+p.plan.Audio.Ext, j.NameTaken)
		if err != nil {
			return fmt.Errorf("choosing the audio file's name: %w", err)
		}
		if err := root.Rename(audio, final); err != nil {
			return fmt.Errorf("placing the audio: %w", err)
		}
		j.FinishOpen(sp)
		return nil
	}
	muxed := name + ".mux" + transfer.PartSuffix
	if err := hls.Mux(ctx, j.Path(name+transfer.PartSuffix), j.Path(audio), j.Path(muxed)); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return &transfer.ProtocolError{Msg: "joining the video and its audio failed: " + err.Error()}
	}
	st.Muxing = true
	j.SetState(st.encode())
	j.Checkpoint()   // a resume from here starts over: the .part is replaced next
	j.FinishOpen(sp) // the video's piece is done; the muxed file replaces it
	return j.ReplacePart(muxed, audio)
}

// progress counts the segments written, for Job.Segments.
type progress struct {
	total, done           int
	videoTotal, videoDone int
	est                   int64 // first guess of the video's size; 0: none
}

func (p *Protocol) newProgress(parts []part, from int) *progress {
	pr := &progress{est: p.plan.Estimate}
	for k, pt := range parts {
		if pt.init {
			continue
		}
		pr.total++
		if !pt.audio {
			pr.videoTotal++
		}
		if k < from {
			pr.done++
			if !pt.audio {
				pr.videoDone++
			}
		}
	}
	return pr
}

func (pr *progress) add(pt *part) {
	if pt.init {
		return
	}
	pr.done++
	if !pt.audio {
		pr.videoDone++
	}
}

// report tells the job the segments done and the video's size as
// estimated now: from the bytes per segment so far, else the manifest's
// bandwidth; exact once the video is in.
func (pr *progress) report(j *transfer.Job) {
	got := j.Received()
	est := pr.est
	switch {
	case pr.videoDone >= pr.videoTotal:
		est = got
	case pr.videoDone > 0:
		est = got * int64(pr.videoTotal) / int64(pr.videoDone)
	}
	j.Segments(pr.done, pr.total, est)
}
