package mpd

import "encoding/binary"

// FromIndex reads the sidx box (the bytes of r.Index fetched from r.URL)
// and lists the media segments it indexes.
func (r *Representation) FromIndex(box []byte) error {
	if r.Index == nil {
		return fail(ErrMalformed, "representation %q has no index", clip(r.ID))
	}
	refs, first, size, err := parseSidx(box)
	if err != nil {
		return err
	}
	if len(refs) > MaxSegments {
		return fail(ErrTooLarge, "representation %q has %d segments, over %d", clip(r.ID), len(refs), MaxSegments)
	}
	// The first segment starts first bytes after the end of the box.
	at := r.Index.Offset + size + first
	segs := make([]Segment, 0, len(refs))
	for _, n := range refs {
		segs = append(segs, Segment{URL: r.URL, Range: &ByteRange{at, n}})
		at += n
	}
	r.Segments, r.Index = segs, nil
	return nil
}

// parseSidx reads a SegmentIndexBox (ISO/IEC 14496-12 8.16.3): the size
// of each referenced segment, the offset of the first after the box, and
// the box's size. A hierarchical index (a reference to another sidx) is
// refused.
func parseSidx(b []byte) (refs []int64, first, size int64, err error) {
	bad := func(what string) ([]int64, int64, int64, error) {
		return nil, 0, 0, fail(ErrMalformed, "the segment index (sidx): %s", what)
	}
	if len(b) < 8 {
		return bad("too short")
	}
	size = int64(binary.BigEndian.Uint32(b))
	if string(b[4:8]) != "sidx" {
		return bad("the indexRange does not hold a sidx box")
	}
	if size < 8 || size > int64(len(b)) {
		return bad("its size is beyond the bytes of the indexRange")
	}
	b = b[8:size]
	if len(b) < 4 {
		return bad("too short")
	}
	version := b[0]
	b = b[4:] // version and flags
	need := 8 + 8 + 4
	if version != 0 {
		need = 8 + 16 + 4
	}
	if len(b) < need {
		return bad("too short")
	}
	b = b[8:] // reference_ID, timescale
	if version == 0 {
		first = int64(binary.BigEndian.Uint32(b[4:]))
		b = b[8:]
	} else {
		first = int64(binary.BigEndian.Uint64(b[8:]))
		b = b[16:]
		if first < 0 {
			return bad("its first offset is out of range")
		}
	}
	count := int(binary.BigEndian.Uint16(b[2:]))
	b = b[4:]
	if len(b) < 12*count {
		return bad("fewer references than it counts")
	}
	if count == 0 {
		return bad("no references")
	}
	refs = make([]int64, count)
	for i := range count {
		v := binary.BigEndian.Uint32(b[12*i:])
		if v>>31 != 0 {
			return nil, 0, 0, fail(ErrUnsupported, "a hierarchical segment index (sidx referring to sidx)")
		}
		if v == 0 {
			return bad("a reference of 0 bytes")
		}
		refs[i] = int64(v)
	}
	return refs, first, size, nil
}
