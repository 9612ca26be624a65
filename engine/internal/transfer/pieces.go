package transfer

import (
	"sync"
)

// Span is the live state of one piece: a byte range [start, end) of the file, filled from start up to
// pos. end is -1 while the size is unknown (a single streamed piece). All
// fields are guarded by the owning pieceSet's mutex.
type Span struct {
	start, pos, end int64
	reserved        int64 // bytes being written right now past pos
	asked           int64 // end of the range the worker's request asked for (0: none, the whole span)
	busy            bool  // a worker owns it
	flowing         bool  // bytes arrived since the worker took it
}

func (p *Span) done() bool { return p.end >= 0 && p.pos >= p.end }

// free is where the bytes no request asked for yet begin: a split there
// cuts no answer short, so the server sends nothing that is thrown away.
func (p *Span) free() int64 { return max(p.pos+p.reserved, p.asked) }

// limit is where the current answer's bytes end: the end of what the
// request asked for, or of the span (-1: unknown). A body that goes on
// past it is not written.
func (p *Span) limit() int64 {
	if p.asked > 0 && (p.end < 0 || p.asked < p.end) {
		return p.asked
	}
	return p.end
}

// Piece is the progress of one byte range of the file, [Start, End) filled
// from Start up to Pos, as recorded in a checkpoint; End is -1 while the
// size is unknown.
type Piece struct {
	Start int64 `json:"s"`
	Pos   int64 `json:"p"`
	End   int64 `json:"e"`
}

// pieceSet is the list of pieces of one download, with the work-stealing
// rule that keeps every connection busy: a worker that finishes takes over
// the second half of the largest remaining piece.
type pieceSet struct {
	mu     sync.Mutex
	pieces []*Span
}

func newPieceSet(recs []Piece) *pieceSet {
	ps := &pieceSet{}
	for _, r := range recs {
		ps.pieces = append(ps.pieces, &Span{start: r.Start, pos: r.Pos, end: r.End})
	}
	return ps
}

// split divides [0,total) into n nearly equal pieces.
func split(total int64, n int) []Piece {
	if n < 1 {
		n = 1
	}
	recs := make([]Piece, 0, n)
	size := total / int64(n)
	var start int64
	for i := range n {
		end := start + size
		if i == n-1 {
			end = total
		}
		recs = append(recs, Piece{Start: start, Pos: start, End: end})
		start = end
	}
	return recs
}

// records returns a copy of the pieces' progress. Bytes being written at
// this moment are not counted: a record never claims unwritten data.
func (ps *pieceSet) records() []Piece {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	recs := make([]Piece, 0, len(ps.pieces))
	for _, p := range ps.pieces {
		recs = append(recs, Piece{Start: p.start, Pos: p.pos, End: p.end})
	}
	return recs
}

// received is the number of bytes written so far.
func (ps *pieceSet) received() int64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var n int64
	for _, p := range ps.pieces {
		n += p.pos - p.start
	}
	return n
}

// complete reports whether every piece is filled.
func (ps *pieceSet) complete() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.pieces {
		if !p.done() {
			return false
		}
	}
	return true
}

// span returns where p should be fetched from now: [pos, end), end -1 if
// open-ended. done is true when nothing is left.
func (ps *pieceSet) span(p *Span) (pos, end int64, done bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return p.pos, p.end, p.done()
}

// claim reserves up to n bytes at p's current position for writing and
// returns the offset and how many bytes may be written (0 when the piece
// is done, possibly because its tail was stolen, or when the answer
// reached the end of what its request asked for).
func (ps *pieceSet) claim(p *Span, n int64) (off, w int64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	w = n
	if lim := p.limit(); lim >= 0 {
		w = min(n, lim-p.pos)
	}
	if w < 0 {
		w = 0
	}
	p.reserved = w
	return p.pos, w
}

// commit records that the claimed bytes were written.
func (ps *pieceSet) commit(p *Span, w int64) {
	ps.mu.Lock()
	p.pos += w
	p.reserved = 0
	p.flowing = p.flowing || w > 0
	ps.mu.Unlock()
}

// finishOpen fixes the end of an open-ended piece once the stream ended.
func (ps *pieceSet) finishOpen(p *Span) int64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p.end < 0 {
		p.end = p.pos
	}
	return p.end
}

// first takes piece 0, which the first response's body fills.
func (ps *pieceSet) first() *Span {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.pieces[0]
	p.busy = true
	return p
}

// release gives a piece back so another worker may take it.
func (ps *pieceSet) release(p *Span) {
	ps.mu.Lock()
	p.busy = false
	p.reserved = 0
	p.asked = 0
	ps.mu.Unlock()
}

// askFirst records that piece 0's worker (the first answer's) asked for
// the bytes up to end.
func (ps *pieceSet) askFirst(end int64) {
	ps.mu.Lock()
	ps.pieces[0].asked = end
	ps.mu.Unlock()
}

// askUpTo chooses the next request of p's worker, at most n bytes from
// its position (all that is left when less than minTail would remain),
// and records it so that next leaves those bytes to it: [pos, end), end
// -1 for a piece of unknown end. done is true when nothing is left.
func (ps *pieceSet) askUpTo(p *Span, n, minTail int64) (pos, end int64, done bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p.done() {
		return p.pos, p.end, true
	}
	if p.end < 0 {
		p.asked = 0
		return p.pos, -1, false
	}
	end = p.end
	if n > 0 && p.pos+n < end-minTail {
		end = p.pos + n
	}
	p.asked = end
	return p.pos, end, false
}

// short reports whether p stopped before the end of what its worker's
// request asked for (or before its own end when nothing was asked): a
// body that ends there ended too soon.
func (ps *pieceSet) short(p *Span) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p.done() || p.end < 0 {
		return false
	}
	return p.pos < p.limit()
}

// flowing counts the pieces being fetched that received bytes since
// their worker took them.
func (ps *pieceSet) flowing() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	n := 0
	for _, p := range ps.pieces {
		if p.busy && p.flowing {
			n++
		}
	}
	return n
}

// hasWork reports whether next would find something for another worker.
func (ps *pieceSet) hasWork(minPiece int64) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.pieces {
		if !p.done() && (!p.busy || (p.end >= 0 && p.end-p.free() >= 2*minPiece)) {
			return true
		}
	}
	return false
}

// next hands a worker something to do: an unowned unfinished piece, or
// else the second half of what no request asked for yet in the largest
// piece still being fetched, provided both halves stay at least minPiece
// long: the victim keeps every byte its request asked for, so no answer
// is cut. It returns nil when there is nothing left worth a connection.
func (ps *pieceSet) next(minPiece int64) *Span {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.pieces {
		if !p.busy && !p.done() {
			p.busy, p.flowing = true, false
			return p
		}
	}
	var big *Span
	var bigRem int64
	for _, p := range ps.pieces {
		if p.busy && p.end >= 0 {
			if r := p.end - p.free(); r > bigRem {
				big, bigRem = p, r
			}
		}
	}
	if big == nil || bigRem < 2*minPiece {
		return nil
	}
	mid := big.free() + bigRem/2
	p := &Span{start: mid, pos: mid, end: big.end, busy: true}
	big.end = mid
	ps.pieces = append(ps.pieces, p)
	return p
}
