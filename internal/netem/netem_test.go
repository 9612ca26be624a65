package netem

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"
)

func mustShaper(t *testing.T, cfg Config) *Shaper {
	t.Helper()
	s, err := NewShaper(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestShaperDelaysAndPacesAtTheRate(t *testing.T) {
	s := mustShaper(t, Config{Delay: 50 * time.Millisecond, Rate: 1000, Limit: 10})
	now := time.Unix(100, 0)
	for i, want := range []time.Duration{
		time.Second + 50*time.Millisecond, // 1000 bytes at 1000 B/s, then the delay
		2*time.Second + 50*time.Millisecond,
		2*time.Second + 550*time.Millisecond, // 500 bytes more
	} {
		size := 1000
		if i == 2 {
			size = 500
		}
		due, v := s.Admit(now, size, 0)
		if v != Deliver || due.Sub(now) != want {
			t.Fatalf("packet %d: %v at +%v, want delivered at +%v", i, v, due.Sub(now), want)
		}
	}
	// Once the transmitter is idle again, a packet waits only for itself.
	later := now.Add(time.Minute)
	if due, _ := s.Admit(later, 100, 0); due.Sub(later) != 150*time.Millisecond {
		t.Fatalf("after an idle link: +%v, want +150ms", due.Sub(later))
	}
}

func TestShaperWithoutRateOnlyDelays(t *testing.T) {
	s := mustShaper(t, Config{Delay: 20 * time.Millisecond, Limit: 1})
	now := time.Unix(5, 0)
	for range 3 {
		if due, v := s.Admit(now, 1500, 0); v != Deliver || due.Sub(now) != 20*time.Millisecond {
			t.Fatalf("%v at +%v, want delivered at +20ms", v, due.Sub(now))
		}
	}
}

func TestShaperLosesAboutTheGivenShare(t *testing.T) {
	s := mustShaper(t, Config{Loss: 0.1, Limit: 1})
	lost := 0
	const n = 100000
	for range n {
		if _, v := s.Admit(time.Unix(0, 0), 100, 0); v == Lost {
			lost++
		}
	}
	if lost < n*8/100 || lost > n*12/100 {
		t.Fatalf("lost %d of %d, want about 10%%", lost, n)
	}
	none := mustShaper(t, Config{Limit: 1})
	all := mustShaper(t, Config{Loss: 1, Limit: 1})
	for range 1000 {
		if _, v := none.Admit(time.Unix(0, 0), 100, 0); v != Deliver {
			t.Fatal("a link without loss lost a packet")
		}
		if _, v := all.Admit(time.Unix(0, 0), 100, 0); v != Lost {
			t.Fatal("a link with loss 1 delivered a packet")
		}
	}
}

func TestShaperDropsWhenTheQueueIsFull(t *testing.T) {
	s := mustShaper(t, Config{Rate: 1000, Limit: 2})
	now := time.Unix(0, 0)
	if _, v := s.Admit(now, 1000, 2); v != Overflow {
		t.Fatalf("a full queue: %v, want Overflow", v)
	}
	// The dropped packet took no time on the transmitter.
	if due, v := s.Admit(now, 1000, 1); v != Deliver || due.Sub(now) != time.Second {
		t.Fatalf("next packet: %v at +%v, want delivered at +1s", v, due.Sub(now))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{Delay: -1, Limit: 1}, {Loss: -0.1, Limit: 1}, {Loss: 1.5, Limit: 1}, {Rate: -1, Limit: 1}, {},
	} {
		if _, err := NewShaper(c, 1); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := NewLink(Config{Limit: 1}, 20, 1); err == nil {
		t.Error("MTU 20: no error")
	}
}

// TestLinkForwardsInOrderNotBeforeTheirTime runs a Link between two
// channels: every packet arrives, in order, and none before its delay.
func TestLinkForwardsInOrderNotBeforeTheirTime(t *testing.T) {
	const delay = 30 * time.Millisecond
	l, err := NewLink(Config{Delay: delay, Limit: 100}, 1500, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := make(chan []byte)
	sent := make(chan time.Time, 100)
	type arrival struct {
		b  byte
		at time.Time
	}
	out := make(chan arrival, 100)
	read := func(b []byte) (int, error) {
		p, ok := <-in
		if !ok {
			return 0, io.EOF
		}
		sent <- time.Now()
		return copy(b, p), nil
	}
	write := func(b []byte) (int, error) {
		out <- arrival{b[0], time.Now()}
		return len(b), nil
	}
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background(), read, write) }()
	const n = 20
	for i := range n {
		in <- []byte{byte(i), 0, 0}
	}
	for i := range n {
		a := <-out
		at := <-sent
		if a.b != byte(i) {
			t.Fatalf("packet %d arrived as number %d", a.b, i)
		}
		if early := at.Add(delay - early).Sub(a.at); early > 0 {
			t.Fatalf("packet %d arrived %v before its time", i, early)
		}
	}
	close(in)
	if err := <-done; !errors.Is(err, io.EOF) {
		t.Fatalf("Run: %v, want the reader's EOF", err)
	}
	if s := l.Stats(); s.Packets != n || s.Bytes != 3*n || s.Lost+s.Overflow+s.Failed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestLinkSetConfigTakesEffect: a link that delivered everything loses
// everything once reconfigured with loss 1, and an invalid configuration
// is refused.
func TestLinkSetConfigTakesEffect(t *testing.T) {
	l, err := NewLink(Config{Limit: 10}, 1500, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := make(chan []byte)
	out := make(chan []byte, 10)
	read := func(b []byte) (int, error) {
		p, ok := <-in
		if !ok {
			return 0, io.EOF
		}
		return copy(b, p), nil
	}
	write := func(b []byte) (int, error) { out <- append([]byte(nil), b...); return len(b), nil }
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background(), read, write) }()
	in <- []byte{1}
	if got := <-out; got[0] != 1 {
		t.Fatalf("got %v", got)
	}
	if err := l.SetConfig(Config{Loss: 2}); err == nil {
		t.Fatal("loss 2 accepted")
	}
	if err := l.SetConfig(Config{Loss: 1}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		in <- []byte{2}
	}
	close(in)
	<-done
	if s := l.Stats(); s.Lost != 5 || s.Packets != 6 || len(out) != 0 {
		t.Fatalf("after loss 1: stats %+v, %d delivered", s, len(out))
	}
}
