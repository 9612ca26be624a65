package transfer

import (
	"io"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestRampWindowsGrowWithTheRoundTrip: a near server keeps one short
// window; on a far one the windows are round trips.
func TestRampWindowsGrowWithTheRoundTrip(t *testing.T) {
	for _, rtt := range []time.Duration{0, time.Millisecond} {
		if w, m, tg, wt := rampWindows(rtt); w != rampSingle || m != rampSingle || tg != rampTogether || wt != rampWait {
			t.Errorf("round trip %v: %v %v %v %v, want one window and the constants", rtt, w, m, tg, wt)
		}
	}
	const rtt = 100 * time.Millisecond
	w, m, tg, wt := rampWindows(rtt)
	if w != rampWindowRTTs*rtt || m != rampMaxRTTs*rtt || tg != rampMaxRTTs/3*rtt || wt < 3*time.Second {
		t.Errorf("100 ms round trip: window %v most %v together %v wait %v", w, m, tg, wt)
	}
}

// TestBeginTimesTheFirstAnswer: the first answer's wait (here, a server
// that holds its headers back) is what the ramp takes as the round trip.
func TestBeginTimesTheFirstAnswer(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const delay = 150 * time.Millisecond
	srv.Add("/f", testserver.Content(10<<10, 1), testserver.SlowHeaders(delay))
	j := testJob(t, srv.URL("/f"), -1)
	j.env.Stall = time.Hour
	st, err := HTTP{}.Begin(t.Context(), j)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Body.Close()
	if _, err := io.Copy(io.Discard, st.Body); err != nil {
		t.Fatal(err)
	}
	if rtt := time.Duration(j.rtt.Load()); rtt < delay {
		t.Errorf("round trip %v, want at least the server's %v", rtt, delay)
	}
}
