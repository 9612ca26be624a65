package transfer

import "time"

// A connection asks for its piece in chunks, one range request each, on
// the same kept-alive connection, rather than all at once: work stealing
// (pieceSet.next) then splits a piece only after the bytes its worker
// asked for, so no answer is cut short and the server never sends bytes
// that are thrown away (on a far link, a cut answer costs up to a
// bandwidth-delay product plus the socket buffers). Each request costs a
// round trip; a chunk lasts chunkTrips of them at the connection's rate,
// so that round trip costs about 1/chunkTrips of its time.
//
// A download that never gets a second connection asks for maxChunk at a
// time: nothing to share, and a raised connection setting still finds
// bytes to split at the next request.
const (
	minChunk   = 16 << 20
	maxChunk   = 128 << 20
	chunkTrips = 100
)

// firstChunk is what a connection that may share its download asks for
// before it has a measure (the first request of a download too): the
// least that is worth splitting (never less than 64 KiB).
func firstChunk(minPiece int64) int64 { return max(2*minPiece, 64<<10) }

// chunker sizes one connection's requests from its last one.
type chunker struct {
	next int64 // bytes the next request asks for; 0 before a measure
	done bool  // the piece is full
}

// measured takes the last request's measure: n bytes in d, of which
// ttfb (about a round trip) went by before the answer came.
func (c *chunker) measured(n int64, ttfb, d time.Duration) {
	if n <= 0 || d <= 0 {
		return
	}
	rate := float64(n) / d.Seconds()
	c.next = min(max(int64(rate*ttfb.Seconds()*chunkTrips), minChunk), maxChunk)
}

// size is the next request's size: left is what the download still
// needs and conns its connections. Over several connections a chunk is
// at most half of each one's share of what is left (but at least
// minPiece), so that a connection that finishes always finds unasked
// bytes to take over and the download has no slow tail. A lone
// connection's first chunk is small (firstChunk), so the ramp's extra
// connections find most of the file unasked.
func (c *chunker) size(left int64, conns int, minPiece int64) int64 {
	n := c.next
	if n <= 0 {
		n = firstChunk(minPiece)
	}
	if conns > 1 && left > 0 {
		n = min(n, max(left/int64(2*conns), minPiece))
	}
	return n
}
