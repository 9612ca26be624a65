package gui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// LatencyEnv names the environment variable that, set to a file path,
// makes the window measure how long its UI goroutine stalls: every 10 ms
// a probe posts a function with do (fyne.Do) and notes how late it runs.
// It also times every function Haul itself hands the UI goroutine (a
// batch from the engine, a job's result): what of a stall is Haul's
// code, the rest being Fyne's layout and painting. When the window
// closes, the file gets a summary (samples, max, p99, p50 in ms, and the
// longest Haul function), then every sample as "unix_ms late_ms" and
// every Haul function over 1 ms as "F unix_ms ran_ms", so that a script
// can look at one stretch of time (scripts/drop-latency.sh).
const LatencyEnv = "HAUL_UI_LATENCY"

// latencyProbe measures the UI goroutine's stalls.
type latencyProbe struct {
	at   []time.Time     // when each sample was posted
	late []time.Duration // how late it ran
	done chan struct{}
	// Haul's functions on the UI goroutine: when those over 1 ms began,
	// how long they ran, and the longest. UI goroutine only.
	funcAt  []time.Time
	funcRan []time.Duration
	longest time.Duration
	started bool
}

func newLatencyProbe() *latencyProbe { return &latencyProbe{done: make(chan struct{})} }

// timed wraps do so that the probe times each function it runs.
func (p *latencyProbe) timed(do func(func())) func(func()) {
	return func(f func()) {
		do(func() {
			t := time.Now()
			f()
			d := time.Since(t)
			p.longest = max(p.longest, d)
			if d > time.Millisecond {
				p.funcAt = append(p.funcAt, t)
				p.funcRan = append(p.funcRan, d)
			}
		})
	}
}

// start posts a function every interval through do until ctx ends, one
// at a time, and notes how late each runs.
func (p *latencyProbe) start(ctx context.Context, do func(func()), interval time.Duration) {
	p.started = true
	go func() {
		defer close(p.done)
		ran := make(chan time.Time, 1)
		for ctx.Err() == nil {
			posted := time.Now()
			do(func() { ran <- time.Now() })
			select {
			case t := <-ran:
				p.at = append(p.at, posted)
				p.late = append(p.late, t.Sub(posted))
			case <-ctx.Done():
				return
			}
			select {
			case <-time.After(interval):
			case <-ctx.Done():
			}
		}
	}()
}

// summary is the number of samples and the max, p99 and p50 lateness.
func (p *latencyProbe) summary() (n int, worst, p99, p50 time.Duration) {
	if len(p.late) == 0 {
		return 0, 0, 0, 0
	}
	s := slices.Clone(p.late)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return len(s), s[len(s)-1], at(0.99), at(0.50)
}

// write waits for the probe to stop (its context ended) and writes what
// it measured to path. It runs where start ran, on the UI goroutine, or
// after the UI goroutine ended.
func (p *latencyProbe) write(path string) error {
	if p.started {
		<-p.done
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing the UI latency: %w", err)
	}
	w := bufio.NewWriter(f)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	n, worst, p99, p50 := p.summary()
	fmt.Fprintf(w, "# %s: how late a function posted to the UI goroutine every 10 ms ran\n", LatencyEnv)
	fmt.Fprintf(w, "samples %d\nmax_ms %.1f\np99_ms %.1f\np50_ms %.1f\nhaul_max_ms %.1f\n", n, ms(worst), ms(p99), ms(p50), ms(p.longest))
	fmt.Fprintf(w, "# unix_ms late_ms\n")
	for i, t := range p.at {
		fmt.Fprintf(w, "%d %.1f\n", t.UnixMilli(), ms(p.late[i]))
	}
	fmt.Fprintf(w, "# F unix_ms ran_ms: Haul's functions on the UI goroutine over 1 ms\n")
	for i, t := range p.funcAt {
		fmt.Fprintf(w, "F %d %.1f\n", t.UnixMilli(), ms(p.funcRan[i]))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing the UI latency: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the UI latency: %w", err)
	}
	return nil
}
