package listview

import (
	"reflect"
	"testing"

	"github.com/haul-dl/haul/engine"
)

func TestByAddedFollowsTheEngineQueueOrder(t *testing.T) {
	// c was moved to the top of the queue: its Seq is now the lowest of
	// the queued ones, though the window got it last.
	snaps := []engine.Snapshot{
		{ID: "a", Name: "same", Seq: 0},
		{ID: "b", Name: "same", Seq: 2},
		{ID: "c", Name: "same", Seq: 1},
	}
	if got := Rows(snaps, Filter{}, Order{}); !reflect.DeepEqual(got, []string{"a", "c", "b"}) {
		t.Errorf("by time added: %v", got)
	}
	if got := Rows(snaps, Filter{}, Order{Key: ByAdded, Desc: true}); !reflect.DeepEqual(got, []string{"b", "c", "a"}) {
		t.Errorf("by time added, descending: %v", got)
	}
	if got := Rows(snaps, Filter{}, Order{Key: ByName}); !reflect.DeepEqual(got, []string{"a", "c", "b"}) {
		t.Errorf("equal names keep the engine's order: %v", got)
	}
}
