package listview

import (
	"cmp"
	"slices"
	"strings"

	"github.com/haul-dl/haul/engine"
)

// Key is what the list is sorted by.
type Key int

// The sort keys.
const (
	ByAdded Key = iota // the engine's order: time added, or queue order
	ByName
	BySize
	ByProgress
	BySpeed
	ByState
)

// Keys lists every key, in the order the window offers them.
var Keys = []Key{ByAdded, ByName, BySize, ByProgress, BySpeed, ByState}

var keyNames = [...]string{"added", "name", "size", "progress", "speed", "state"}

// String is the key's name as kept in the settings ("added", "name", ...).
func (k Key) String() string {
	if k < 0 || int(k) >= len(keyNames) {
		return keyNames[0]
	}
	return keyNames[k]
}

// Order is a sort key and direction.
type Order struct {
	Key  Key
	Desc bool
}

// String is how an order is kept in the settings: "name", "-size".
func (o Order) String() string {
	if o.Desc {
		return "-" + o.Key.String()
	}
	return o.Key.String()
}

// ParseOrder reads what Order.String wrote; anything else is the default
// order (time added, ascending), so a damaged setting never breaks the list.
func ParseOrder(s string) Order {
	desc := strings.HasPrefix(s, "-")
	name := strings.TrimPrefix(s, "-")
	for _, k := range Keys {
		if k.String() == name {
			return Order{Key: k, Desc: desc}
		}
	}
	return Order{}
}

// stateRank orders states by how much they need the user: running first,
// then waiting, then stopped, then done.
var stateRank = map[engine.State]int{
	engine.Active: 0, engine.Queued: 1, engine.Paused: 2,
	engine.Failed: 3, engine.Canceled: 4, engine.Completed: 5,
}

// compare orders a and b by key k, ascending; 0 for ByAdded, whose order
// is the engine's.
func (k Key) compare(a, b engine.Snapshot) int {
	switch k {
	case ByName:
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	case BySize:
		return cmp.Compare(a.Total, b.Total)
	case ByProgress:
		return cmp.Compare(a.Progress(), b.Progress())
	case BySpeed:
		return cmp.Compare(a.Speed, b.Speed)
	case ByState:
		return cmp.Compare(stateRank[a.State], stateRank[b.State])
	}
	return 0
}

// Rows returns the IDs to show, in order: the snapshots that pass f,
// sorted by o. ByAdded is the engine's order (Snapshot.Seq: time added,
// or the queue order), and ties keep it, whatever the direction.
func Rows(snaps []engine.Snapshot, f Filter, o Order) []string {
	m := f.matcher()
	type item struct {
		s   engine.Snapshot
		pos int
	}
	kept := make([]item, 0, len(snaps))
	for _, s := range snaps {
		if m.match(s) {
			kept = append(kept, item{s: s})
		}
	}
	// The engine's order is Seq (a queue move changes it); snaps in the
	// same Seq keep their order.
	slices.SortStableFunc(kept, func(a, b item) int { return cmp.Compare(a.s.Seq, b.s.Seq) })
	for i := range kept {
		kept[i].pos = i
	}
	if o.Key != ByAdded || o.Desc {
		slices.SortFunc(kept, func(a, b item) int {
			if o.Key == ByAdded { // only descending gets here
				return cmp.Compare(b.pos, a.pos)
			}
			c := o.Key.compare(a.s, b.s)
			if o.Desc {
				c = -c
			}
			if c == 0 {
				c = cmp.Compare(a.pos, b.pos)
			}
			return c
		})
	}
	ids := make([]string, len(kept))
	for i, it := range kept {
		ids[i] = it.s.ID
	}
	return ids
}
