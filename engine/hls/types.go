// Package hls reads HTTP Live Streaming playlists (RFC 8216) and turns
// them into what a downloader needs: the variants of a master playlist
// and a choice among them, and for a media playlist a plan of absolute
// segment URLs, byte ranges and AES-128 keys whose downloaded bytes,
// decrypted and concatenated in order, make one playable file (.ts for
// MPEG-TS, .mp4 for fragmented MP4).
//
// It does no network I/O of its own (Resolve fetches through the
// caller's FetchFunc) and runs no program except Mux, which runs ffmpeg.
// Playlists are untrusted input: Parse enforces Limits and refuses, with
// a typed error, whatever it cannot download faithfully (live streams,
// DRM, malformed text) rather than returning part of a playlist.
//
// A downloader uses it like this:
//
//  1. IsPlaylistURL or IsPlaylistType says a link is HLS.
//  2. Resolve(ctx, fetch, link, quality, Limits{}) returns a Stream: the
//     Plan of the video (or only) stream and, for a variant with separate
//     audio, the Plan of the audio.
//  3. For each Plan: fetch every URL in Keys once (KeySize bytes), then
//     Init and Segments, sending a Range header for a part's Range and
//     refusing a body of another length; decrypt encrypted parts
//     (Decrypt, or NewDecrypter to stream); write the parts in order.
//     Keep Fingerprint with the progress: if a resumed download's
//     playlist plans to another fingerprint, start over.
//  4. With separate audio, Mux joins the two files, or says ErrNoFFmpeg.
package hls

import "time"

// Playlist is a parsed playlist: exactly one of Master and Media is set.
type Playlist struct {
	Master *Master
	Media  *Media
}

// Master is a master (multivariant) playlist.
type Master struct {
	URL        string      // the playlist's own URL (the base given to Parse)
	Variants   []Variant   // EXT-X-STREAM-INF entries, in playlist order; never empty
	Renditions []Rendition // EXT-X-MEDIA entries, in playlist order
}

// Variant is one EXT-X-STREAM-INF: a media playlist of one quality.
type Variant struct {
	URL              string // absolute media playlist URL
	Bandwidth        int64  // peak bits per second (0 if the playlist omits it)
	AverageBandwidth int64  // 0 if absent
	Width, Height    int    // RESOLUTION; 0 if absent
	Codecs           string // CODECS, e.g. "avc1.64001f,mp4a.40.2"
	FrameRate        float64
	Audio            string // AUDIO group ID; "" if none
	Video            string // VIDEO group ID
	Subtitles        string // SUBTITLES group ID
}

// Rendition is one EXT-X-MEDIA: an alternative rendition in a group.
type Rendition struct {
	Type       string // AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS
	GroupID    string
	Name       string
	Language   string
	Default    bool
	AutoSelect bool
	Channels   string
	URL        string // absolute media playlist URL; "" when the rendition is carried in the variant's own stream
}

// Media is a media playlist that has ended (EXT-X-ENDLIST): Parse
// refuses live playlists.
type Media struct {
	URL            string // the playlist's own URL (the base given to Parse)
	Version        int
	TargetDuration time.Duration
	MediaSequence  uint64    // sequence number of the first segment
	Type           string    // EXT-X-PLAYLIST-TYPE: "VOD", "EVENT" or ""
	Segments       []Segment // never empty
}

// Segment is one media segment.
type Segment struct {
	URL           string // absolute http(s) URL
	Duration      time.Duration
	Title         string
	Sequence      uint64     // media sequence number
	Range         *ByteRange // nil: the whole resource
	Key           *Key       // nil: not encrypted; shared by the segments one EXT-X-KEY covers
	Map           *Map       // init section in effect (EXT-X-MAP); nil if none
	Discontinuity bool       // an EXT-X-DISCONTINUITY precedes it
}

// IV returns the AES-128 initialization vector of the segment: the key's
// explicit IV, or else the media sequence number as a 128-bit big-endian
// integer (RFC 8216 section 5.2). It is meaningless when Key is nil.
func (s *Segment) IV() [16]byte {
	if s.Key != nil && s.Key.IV != nil {
		return *s.Key.IV
	}
	return sequenceIV(s.Sequence)
}

// sequenceIV is n as a 128-bit big-endian integer.
func sequenceIV(n uint64) [16]byte {
	var iv [16]byte
	for i := 0; i < 8; i++ {
		iv[15-i] = byte(n >> (8 * i))
	}
	return iv
}

// ByteRange is part of a resource: Length bytes from Offset.
type ByteRange struct {
	Offset, Length int64
}

// End is the offset just past the range.
func (r ByteRange) End() int64 { return r.Offset + r.Length }

// Key is an EXT-X-KEY with METHOD=AES-128 (the only method Parse
// accepts besides NONE, which gives no Key).
type Key struct {
	Method string    // "AES-128"
	URL    string    // absolute URL of the 16-byte key
	IV     *[16]byte // explicit IV; nil: derived from each segment's sequence number
}

// Map is an EXT-X-MAP: the media initialization section of fragmented
// MP4 segments.
type Map struct {
	URL   string
	Range *ByteRange // nil: the whole resource
	Key   *Key       // the key in effect at the tag (its IV is explicit); nil if clear
}
