package engine

import "testing"

// TestNewIDsSortInCreationOrder: the store relies on IDs made one after
// the other sorting in that order, so that a batch's records share pages.
func TestNewIDsSortInCreationOrder(t *testing.T) {
	prev := newID()
	seen := map[string]bool{prev: true}
	for i := range 10000 {
		id := newID()
		if id <= prev || seen[id] {
			t.Fatalf("ID %d %s does not sort after %s", i, id, prev)
		}
		seen[id] = true
		prev = id
	}
}
