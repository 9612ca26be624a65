package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
)

func TestLatencyProbeSummaryTakesTheWorstAndPercentiles(t *testing.T) {
	p := &latencyProbe{}
	for i := 1; i <= 200; i++ {
		p.late = append(p.late, time.Duration(i)*time.Millisecond)
	}
	n, worst, p99, p50 := p.summary()
	if n != 200 || worst != 200*time.Millisecond || p99 != 199*time.Millisecond || p50 != 101*time.Millisecond {
		t.Errorf("summary of 1..200 ms: n %d, max %v, p99 %v, p50 %v", n, worst, p99, p50)
	}
}

func TestLatencyProbeWritesEverySample(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	ran := 0
	do := func(f func()) {
		ran++
		if ran == 5 {
			stop()
		}
		go f()
	}
	p := newLatencyProbe()
	p.start(ctx, do, time.Millisecond)
	path := filepath.Join(t.TempDir(), "latency.txt")
	if err := p.write(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[1], "samples ") || !strings.HasPrefix(lines[2], "max_ms ") {
		t.Fatalf("no summary at the top:\n%s", b)
	}
	var samples []string
	for _, l := range lines[7:] {
		if !strings.HasPrefix(l, "#") && len(strings.Fields(l)) == 2 {
			samples = append(samples, l)
		}
	}
	if want := fmt.Sprintf("samples %d", len(samples)); lines[1] != want || len(samples) < 4 {
		t.Errorf("%q, with %d sample lines:\n%s", lines[1], len(samples), b)
	}
}

func TestLatencyProbeTimesHaulsOwnUIFunctions(t *testing.T) {
	p := newLatencyProbe()
	do := p.timed(func(f func()) { f() })
	do(func() {})
	do(func() { time.Sleep(3 * time.Millisecond) })
	if p.longest < 3*time.Millisecond || len(p.funcRan) != 1 || p.funcRan[0] < 3*time.Millisecond {
		t.Errorf("longest %v, functions over 1 ms %v: want the 3 ms one only", p.longest, p.funcRan)
	}
	path := filepath.Join(t.TempDir(), "latency.txt")
	if err := p.write(path); err != nil { // never started: it does not wait
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "\nhaul_max_ms ") {
		t.Errorf("no haul_max_ms in:\n%s", b)
	}
	if !strings.Contains(string(b), "\nF ") {
		t.Errorf("no function line in:\n%s", b)
	}
}

func TestBigBatchIsAppliedInParts(t *testing.T) {
	batch := fakeSnaps(2500, engine.Queued)
	parts := batchParts(batch, false)
	if len(parts) != 3 || len(parts[0]) != applyChunk || len(parts[2]) != 500 || parts[2][499].ID != batch[2499].ID {
		t.Errorf("2,500 snapshots in %d parts", len(parts))
	}
	if parts := batchParts(batch, true); len(parts) != 1 || len(parts[0]) != 2500 {
		t.Errorf("the whole list was split: what a part lacks would be removed")
	}
	md := newModel()
	for _, p := range batchParts(batch, false) {
		md.apply(p, false)
	}
	if md.len() != 2500 || md.order[2499] != batch[2499].ID {
		t.Errorf("applied in parts, the model holds %d", md.len())
	}
}
