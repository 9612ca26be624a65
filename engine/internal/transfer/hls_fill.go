package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/safename"
)

// SegmentReporter is a Reporter that also shows a segmented download's
// progress: segments written of all, and the file's size as estimated so
// far (exact once every segment is in).
type SegmentReporter interface {
	Segments(done, total int, estimate int64)
}

// fillSpan writes parts[st.Next:] in order: fetched ahead by up to one
// worker per connection, each written once every part before it is.
func (h *HLS) fillSpan(ctx context.Context, j *Job, sp *Span, st hlsState) error {
	parts := h.parts()
	from := min(max(st.Next, 0), len(parts))
	if pos, _, _ := j.Position(sp); st.At < pos {
		j.Rewind(sp, st.At) // part Next was only partly in
		if t, ok := j.partFile().(interface{ Truncate(int64) error }); ok {
			if err := t.Truncate(st.At); err != nil {
				return fmt.Errorf("truncating %s: %w", j.currentName()+PartSuffix, err)
			}
		}
	}
	af, err := h.openAudio(j, from, len(parts), st.AudioAt)
	if err != nil {
		return err
	}
	if af != nil {
		defer af.Close()
	}
	st.Next = from
	st.At, _, _ = j.Position(sp)
	j.SetState(st.encode()) // the fingerprint, before any byte of this run
	prog := h.newProgress(j, parts, from)
	prog.report(j)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	order, stop := h.fetchAhead(ctx, j, parts, from)
	defer func() {
		stop()
		h.inflight.Store(0) // what was fetched and not written is lost
		j.rep.Progress(j.recv.Load())
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
		p := &parts[k]
		data, err := h.decrypt(p, r.data)
		if err != nil {
			return err
		}
		if !p.audio {
			if err := j.put(sp, data); err != nil {
				return err
			}
			// Its bytes now count as written rather than fetched.
			j.rep.Progress(j.recv.Load() + h.inflight.Add(-int64(len(r.data))))
		} else {
			if _, err := af.WriteAt(data, st.AudioAt); err != nil {
				return fmt.Errorf("writing %s: %w", AudioPart(j.currentName()), err)
			}
			if err := af.Sync(); err != nil { // before the state claims it
				return fmt.Errorf("flushing %s: %w", AudioPart(j.currentName()), err)
			}
			st.AudioAt += int64(len(data))
		}
		// Part k is in: a resume goes on from part k+1, where it starts.
		st.Next = k + 1
		st.At, _, _ = j.Position(sp)
		j.SetState(st.encode())
		prog.add(p, len(data))
		prog.report(j)
	}
	if h.stream.Audio != nil {
		if af != nil {
			af.Close()
		}
		return h.finishAudio(ctx, j, sp, st)
	}
	j.FinishOpen(sp)
	return nil
}

func (s hlsState) encode() []byte {
	b, _ := json.Marshal(s) // plain data: cannot fail
	return b
}

func (j *Job) currentName() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.name
}

// put appends b to the open span s of the .part file; the caller
// reports the progress.
func (j *Job) put(s *Span, b []byte) error {
	ps, f := j.pieces(), j.partFile()
	for len(b) > 0 {
		off, w := ps.claim(s, int64(len(b)))
		if w <= 0 {
			return &ProtocolError{"the stream is longer than its file's piece"}
		}
		if _, err := f.WriteAt(b[:w], off); err != nil {
			ps.commit(s, 0)
			return fmt.Errorf("writing %s: %w", j.currentName()+PartSuffix, err)
		}
		ps.commit(s, w)
		j.recv.Add(w)
		j.wb.wrote(f, w)
		b = b[w:]
	}
	return nil
}

// decrypt returns the plaintext of part p.
func (h *HLS) decrypt(p *part, data []byte) ([]byte, error) {
	if !p.Encrypted() {
		return data, nil
	}
	plain, err := hls.Decrypt(h.keys[p.plan.Keys[p.Key]], p.IV, data)
	if err != nil {
		return nil, &IntegrityError{fmt.Sprintf("%s cannot be decrypted: %v", p.describe(), err)}
	}
	return plain, nil
}

// describe names a part for messages: "segment 3 of 40 (URL)".
func (p *part) describe() string {
	what := "the init section"
	if !p.init {
		what = fmt.Sprintf("segment %d of %d", p.index, len(p.plan.Segments))
	}
	if p.audio {
		what = "audio " + what
	}
	u := p.URL
	if pu, err := parseURL(u); err == nil {
		u = pu
	}
	return what + " (" + u + ")"
}

// openAudio opens the audio side file at the position the state gives,
// when the stream has separate audio and parts are left; nil otherwise.
func (h *HLS) openAudio(j *Job, from, n int, at int64) (*os.File, error) {
	if h.stream.Audio == nil || from >= n {
		return nil, nil
	}
	name := AudioPart(j.currentName())
	f, err := j.root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < at {
		err = fmt.Errorf("%s is shorter than recorded: %w", name, ErrChanged)
	}
	if err == nil {
		err = f.Truncate(at)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// finishAudio joins the video (the .part file) and the audio side file
// into one MP4 with ffmpeg, which then becomes the .part file; without
// ffmpeg it puts the audio next to the video under its own name.
func (h *HLS) finishAudio(ctx context.Context, j *Job, sp *Span, st hlsState) error {
	name := j.currentName()
	audio := AudioPart(name)
	if _, err := hls.FindFFmpeg(); err != nil {
		if _, err := j.root.Lstat(audio); errors.Is(err, fs.ErrNotExist) {
			j.FinishOpen(sp) // placed by an earlier attempt
			return nil
		}
		stem := name[:len(name)-len(path.Ext(name))]
		final, err := safename.Unique(j.root, stem+".audio"+h.stream.Audio.Ext, func(c string) bool { return j.rep.Taken(j.spec.Dir, c) })
		if err != nil {
			return fmt.Errorf("choosing the audio file's name: %w", err)
		}
		if err := j.root.Rename(audio, final); err != nil {
			return fmt.Errorf("placing the audio: %w", err)
		}
		j.FinishOpen(sp)
		return nil
	}
	muxed := name + ".mux" + PartSuffix
	dir := j.spec.Dir
	if err := hls.Mux(ctx, joinDir(dir, name+PartSuffix), joinDir(dir, audio), joinDir(dir, muxed)); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return &ProtocolError{"joining the video and its audio failed: " + err.Error()}
	}
	st.Muxing = true
	j.SetState(st.encode())
	j.checkpoint(false) // a resume from here starts over: the .part is replaced next
	j.FinishOpen(sp)    // the video's piece is done; the muxed file replaces it
	return j.replacePart(muxed, audio)
}

// replacePart makes the file from (in the download folder) the .part
// file, complete, and removes the side file.
func (j *Job) replacePart(from, side string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	part := j.name + PartSuffix
	if j.file != nil {
		j.file.Close()
		j.file = nil
	}
	if err := j.root.Rename(from, part); err != nil {
		return fmt.Errorf("replacing %s: %w", part, err)
	}
	f, err := j.root.OpenFile(part, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("opening %s: %w", part, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("checking %s: %w", part, err)
	}
	if err := j.root.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
		j.warning = joinWarn(j.warning, fmt.Sprintf("could not delete %s: %v", safename.Display(side), err))
	}
	j.file = j.wrap(f)
	j.ps = newPieceSet([]Piece{{Start: 0, Pos: fi.Size(), End: fi.Size()}})
	j.livePieces.Store(j.ps)
	j.recv.Store(fi.Size())
	j.rep.Progress(fi.Size())
	return nil
}
