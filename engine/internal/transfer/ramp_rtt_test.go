package transfer

import (
	"io"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestRampWindowsGrowWithTheRoundTrip: near servers keep the short
// measurements; a far one gets rampRTTs round trips for each.
func TestRampWindowsGrowWithTheRoundTrip(t *testing.T) {
	if s, tg, w := rampWindows(0); s != rampSingle || tg != rampTogether || w != rampWait {
		t.Errorf("unknown round trip: %v %v %v, want the constants", s, tg, w)
	}
	if s, tg, _ := rampWindows(time.Millisecond); s != rampSingle || tg != rampTogether {
		t.Errorf("1 ms round trip: %v %v, want the constants", s, tg)
	}
	s, tg, w := rampWindows(100 * time.Millisecond)
	if s != rampRTTs*100*time.Millisecond || tg != s || w < 3*time.Second {
		t.Errorf("100 ms round trip: %v %v %v", s, tg, w)
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
