package gui

import (
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
)

func TestSmoothedTimeLeftDoesNotSwingWithTheSpeed(t *testing.T) {
	start := time.Unix(1000, 0)
	const remaining = 300 << 20
	avg := rateAvg{rate: 200 << 10, at: start}
	lo, hi := time.Duration(1<<62), time.Duration(0)
	// The speed swings between 100 and 300 KiB/s every second: the raw
	// time left swings between 17 and 51 minutes.
	for i := 1; i <= 60; i++ {
		speed := float64(100 << 10)
		if i%2 == 0 {
			speed = 300 << 10
		}
		avg = nextRate(avg, speed, start.Add(time.Duration(i)*time.Second), etaTau)
		if i > 10 {
			left := timeLeft(remaining, avg.rate)
			lo, hi = min(lo, left), max(hi, left)
		}
	}
	if float64(hi)/float64(lo) > 1.3 {
		t.Errorf("the smoothed time left swings from %v to %v", lo.Round(time.Second), hi.Round(time.Second))
	}
}

func TestSmoothedSpeedFollowsALastingChangeAtItsTimeConstant(t *testing.T) {
	start := time.Unix(1000, 0)
	avg := rateAvg{rate: 100, at: start}
	// Samples every 100 ms or one sample after 5 s: the same average.
	fine := avg
	for i := 1; i <= 50; i++ {
		fine = nextRate(fine, 200, start.Add(time.Duration(i)*100*time.Millisecond), etaTau)
	}
	coarse := nextRate(avg, 200, start.Add(5*time.Second), etaTau)
	want := 100 + 100*(1-1/2.718281828)
	for _, got := range []float64{fine.rate, coarse.rate} {
		if got < want-0.5 || got > want+0.5 {
			t.Errorf("after one time constant the speed is %.1f, want %.1f", got, want)
		}
	}
	if same := nextRate(coarse, 1e9, coarse.at, etaTau); same != coarse {
		t.Error("a sample at the same instant moved the average")
	}
	if timeLeft(100, 0) != -1 || timeLeft(1000, 100) != 10*time.Second {
		t.Errorf("timeLeft: %v %v", timeLeft(100, 0), timeLeft(1000, 100))
	}
}

func TestModelShowsTheSmoothedTimeLeft(t *testing.T) {
	md := newModel()
	clock := time.Unix(1000, 0)
	md.now = func() time.Time { return clock }
	s := engine.Snapshot{ID: "x", State: engine.Active, Total: 100 << 20, Speed: 1 << 20, ETA: 100 * time.Second}
	md.apply([]engine.Snapshot{s}, false)
	if got, _ := md.snapshot("x"); got.ETA != 100*time.Second {
		t.Fatalf("the first snapshot shows %v left, want the engine's 100s", got.ETA)
	}
	// The speed triples for a second: the engine says 33 s left.
	clock = clock.Add(time.Second)
	s.Speed, s.ETA = 3<<20, 33*time.Second
	md.apply([]engine.Snapshot{s}, false)
	if got, _ := md.snapshot("x"); got.ETA < 60*time.Second || got.ETA > 100*time.Second {
		t.Errorf("after a second at three times the speed the window shows %v left", got.ETA)
	}
	s.State = engine.Paused
	md.apply([]engine.Snapshot{s}, false)
	if len(md.rates) != 0 {
		t.Error("a paused download keeps its smoothed speed")
	}
}
