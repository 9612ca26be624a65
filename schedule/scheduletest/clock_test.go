package scheduletest

import (
	"testing"
	"time"
)

// A wait that is already due delivers at once, as time.After does: a
// runner that decided just before the clock moved must not sleep until
// the next Advance.
func TestAfterADueDurationDeliversAtOnce(t *testing.T) {
	c := NewClock(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	for _, d := range []time.Duration{0, -time.Second} {
		select {
		case <-c.After(d):
		default:
			t.Errorf("After(%v) did not deliver at once", d)
		}
	}
	select {
	case <-c.After(time.Second):
		t.Error("After(1s) delivered before the clock moved")
	default:
	}
}
