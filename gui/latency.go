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
// When the window closes, the file gets a summary (samples, max, p99,
// p50 in ms) and then every sample as "unix_ms late_ms", so that a script
// can look at the stalls of one stretch of time (scripts/drop-latency.sh).
const LatencyEnv = "HAUL_UI_LATENCY"

// latencyProbe measures the UI goroutine's stalls.
type latencyProbe struct {
	at   []time.Time     // when each sample was posted
	late []time.Duration // how late it ran
	done chan struct{}
}

// startLatencyProbe posts a function every interval through do until ctx
// ends, one at a time, and notes how late each runs.
func startLatencyProbe(ctx context.Context, do func(func()), interval time.Duration) *latencyProbe {
	p := &latencyProbe{done: make(chan struct{})}
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
	return p
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
// it measured to path.
func (p *latencyProbe) write(path string) error {
	<-p.done
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing the UI latency: %w", err)
	}
	w := bufio.NewWriter(f)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	n, worst, p99, p50 := p.summary()
	fmt.Fprintf(w, "# %s: how late a function posted to the UI goroutine every 10 ms ran\n", LatencyEnv)
	fmt.Fprintf(w, "samples %d\nmax_ms %.1f\np99_ms %.1f\np50_ms %.1f\n# unix_ms late_ms\n", n, ms(worst), ms(p99), ms(p50))
	for i, t := range p.at {
		fmt.Fprintf(w, "%d %.1f\n", t.UnixMilli(), ms(p.late[i]))
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
