package transfer

import (
	"slices"
	"testing"
)

// testSpan is a piece of a test's starting state.
type testSpan struct {
	start, pos, end, reserved int64
	busy                      bool
}

// TestNextTakesAFreePieceOrStealsHalfTheLargest is the table of the work
// stealing rule (pieceSet.next): an unowned unfinished piece first, in
// list order; else the second half of the busy piece with the most bytes
// left after its position and the bytes being written, when both halves
// keep at least minPiece; else nothing. hasWork agrees with next in
// every case.
func TestNextTakesAFreePieceOrStealsHalfTheLargest(t *testing.T) {
	const minPiece = 10
	cases := []struct {
		name  string
		spans []testSpan
		// take is the index of the piece handed over as it is, or -1.
		take int
		// Else, when steal is set, victim's end moves to mid and a new
		// piece [mid, oldEnd) is handed over.
		steal       bool
		victim      int
		mid, oldEnd int64
	}{
		{name: "a free piece before a busy larger one",
			spans: []testSpan{{0, 0, 1000, 0, true}, {1000, 1000, 1100, 0, false}}, take: 1},
		{name: "the first free piece in list order",
			spans: []testSpan{{0, 50, 100, 0, false}, {100, 100, 900, 0, false}}, take: 0},
		{name: "a finished free piece is skipped",
			spans: []testSpan{{0, 100, 100, 0, false}, {100, 100, 200, 0, true}},
			take:  -1, steal: true, victim: 1, mid: 150, oldEnd: 200},
		{name: "the busy piece with most left is halved, not the longest",
			spans: []testSpan{{0, 10, 500, 0, true}, {500, 900, 1000, 0, true}, {1000, 1000, 1300, 0, true}},
			take:  -1, steal: true, victim: 0, mid: 255, oldEnd: 500},
		{name: "bytes being written count as taken",
			spans: []testSpan{{0, 0, 100, 50, true}, {100, 100, 160, 0, true}},
			take:  -1, steal: true, victim: 1, mid: 130, oldEnd: 160},
		{name: "exactly two minimum pieces left is split",
			spans: []testSpan{{0, 80, 100, 0, true}},
			take:  -1, steal: true, victim: 0, mid: 90, oldEnd: 100},
		{name: "less than two minimum pieces left is not split",
			spans: []testSpan{{0, 81, 100, 0, true}}, take: -1},
		{name: "reserved bytes can make a piece too small to split",
			spans: []testSpan{{0, 70, 100, 15, true}}, take: -1},
		{name: "an open-ended piece (size unknown) is never split",
			spans: []testSpan{{0, 0, -1, 0, true}}, take: -1},
		{name: "a free open-ended piece is handed over",
			spans: []testSpan{{0, 0, -1, 0, false}}, take: 0},
		{name: "a tie goes to the first piece",
			spans: []testSpan{{0, 0, 100, 0, true}, {100, 100, 200, 0, true}},
			take:  -1, steal: true, victim: 0, mid: 50, oldEnd: 100},
		{name: "everything done",
			spans: []testSpan{{0, 100, 100, 0, false}, {100, 200, 200, 0, true}}, take: -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := &pieceSet{}
			for _, s := range tc.spans {
				ps.pieces = append(ps.pieces, &Span{start: s.start, pos: s.pos, end: s.end, reserved: s.reserved, busy: s.busy})
			}
			before := slices.Clone(ps.pieces)
			hasWork := ps.hasWork(minPiece)
			got := ps.next(minPiece)
			if hasWork != (got != nil) {
				t.Errorf("hasWork = %v, but next gave %+v", hasWork, got)
			}
			switch {
			case tc.take >= 0:
				if got != before[tc.take] || !got.busy || got.flowing {
					t.Fatalf("next = %+v; want piece %d, now busy and not yet flowing", got, tc.take)
				}
			case tc.steal:
				v := before[tc.victim]
				if got == nil || got.start != tc.mid || got.pos != tc.mid || got.end != tc.oldEnd || !got.busy {
					t.Fatalf("next = %+v; want a busy new piece [%d,%d)", got, tc.mid, tc.oldEnd)
				}
				if v.end != tc.mid {
					t.Errorf("the victim ends at %d; want %d", v.end, tc.mid)
				}
				if len(ps.pieces) != len(before)+1 || ps.pieces[len(before)] != got {
					t.Errorf("the new piece was not appended to the list")
				}
			default:
				if got != nil {
					t.Fatalf("next = %+v; want nothing", got)
				}
				if len(ps.pieces) != len(before) {
					t.Errorf("nothing handed over, yet the list changed")
				}
			}
		})
	}
}

// After a steal the victim writes no byte past its new end: a claim in
// flight is cut at the boundary, and the two pieces together cover the
// range once.
func TestAVictimStopsAtTheStolenBoundary(t *testing.T) {
	cases := []struct {
		name             string
		pos, end, claim  int64
		wantOff, wantLen int64
	}{
		{"a claim that would cross the boundary is cut", 0, 100, 80, 0, 50},
		{"a claim inside the first half is whole", 0, 100, 20, 0, 20},
		{"a victim at the boundary gets nothing", 50, 100, 10, 50, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := newPieceSet([]Piece{{Start: 0, Pos: 0, End: tc.end}})
			v := ps.next(10)
			thief := ps.next(10) // takes [50,100) while the victim is at 0
			if thief == nil || thief.start != 50 {
				t.Fatalf("steal = %+v; want [50,100)", thief)
			}
			v.pos = tc.pos // the victim wrote up to here meanwhile
			off, w := ps.claim(v, tc.claim)
			if off != tc.wantOff || w != tc.wantLen {
				t.Fatalf("claim(%d) at %d = %d,%d; want %d,%d", tc.claim, tc.pos, off, w, tc.wantOff, tc.wantLen)
			}
			ps.commit(v, w)
			if got := ps.records(); got[0].End != 50 || got[1].Start != 50 || got[1].End != tc.end {
				t.Errorf("records = %+v; want [0,50) and [50,%d)", got, tc.end)
			}
		})
	}
}
