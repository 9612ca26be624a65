package transfer

import (
	"io"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestRampWindowsGrowWithTheRoundTrip: near servers keep the short
// measurements; on a far one the single connection runs rampRTTs round
// trips, measured over the last rampRateRTTs, and the connections
// together are measured for rampRTTs.
func TestRampWindowsGrowWithTheRoundTrip(t *testing.T) {
	for _, rtt := range []time.Duration{0, time.Millisecond} {
		if l, s, tg, w := rampWindows(rtt); l != 0 || s != rampSingle || tg != rampTogether || w != rampWait {
			t.Errorf("round trip %v: %v %v %v %v, want no lead and the constants", rtt, l, s, tg, w)
		}
	}
	const rtt = 100 * time.Millisecond
	l, s, tg, w := rampWindows(rtt)
	if l+s != rampRTTs*rtt || s != rampRateRTTs*rtt || tg != rampRTTs*rtt || w < 3*time.Second {
		t.Errorf("100 ms round trip: lead %v single %v together %v wait %v", l, s, tg, w)
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
