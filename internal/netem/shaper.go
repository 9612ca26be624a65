// Package netem emulates a network link in user space, the way Linux's
// netem queueing discipline does (this lab's kernel has none): each packet
// is delayed by a fixed one-way delay, dropped at random with a given
// probability, and sent no faster than a given rate, through a queue that
// holds a bounded number of packets (netem's limit). Packets are opaque
// byte slices; cmd/haul-netem forwards IP packets between two TUN devices
// through one Link per direction.
package netem

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Config is one direction of a link.
type Config struct {
	Delay time.Duration // one-way delay added to every packet
	Loss  float64       // probability that a packet is dropped, 0 to 1
	Rate  int64         // bytes per second the link sends; 0: no limit
	Limit int           // packets held at once, queued or in flight
}

// Validate says what is wrong with a configuration, if anything.
func (c Config) Validate() error {
	switch {
	case c.Delay < 0:
		return fmt.Errorf("netem: delay %v is negative", c.Delay)
	case c.Loss < 0 || c.Loss > 1:
		return fmt.Errorf("netem: loss %v is not between 0 and 1", c.Loss)
	case c.Rate < 0:
		return fmt.Errorf("netem: rate %d is negative", c.Rate)
	case c.Limit < 1:
		return errors.New("netem: the limit must hold at least one packet")
	}
	return nil
}

// Verdict is what becomes of a packet.
type Verdict int

const (
	// Deliver: the packet leaves at the time Admit returned.
	Deliver Verdict = iota
	// Lost: dropped at random (Config.Loss).
	Lost
	// Overflow: dropped because the queue held Config.Limit packets.
	Overflow
)

// Shaper decides each packet's fate and, for one that is delivered, when
// it leaves. It holds the state of the link's transmitter, so packets must
// be admitted in the order they arrive. Not safe for concurrent use.
type Shaper struct {
	cfg    Config
	rng    *rand.Rand
	txFree time.Time // when the transmitter has sent every admitted packet
}

// NewShaper makes a shaper whose losses are drawn from seed, so a run can
// be repeated.
func NewShaper(cfg Config, seed uint64) (*Shaper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Shaper{cfg: cfg, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, nil
}

// Admit takes a packet of size bytes that arrived at now while held
// packets were in the link. A delivered packet leaves at due: after the
// transmitter has sent every packet before it and this one (at Rate),
// plus Delay. Like netem, loss comes first and a full queue drops the
// packet that arrives.
func (s *Shaper) Admit(now time.Time, size, held int) (due time.Time, v Verdict) {
	if s.cfg.Loss > 0 && s.rng.Float64() < s.cfg.Loss {
		return time.Time{}, Lost
	}
	if held >= s.cfg.Limit {
		return time.Time{}, Overflow
	}
	sent := now
	if s.cfg.Rate > 0 {
		start := now
		if s.txFree.After(start) {
			start = s.txFree
		}
		sent = start.Add(time.Duration(int64(size) * int64(time.Second) / s.cfg.Rate))
		s.txFree = sent
	}
	return sent.Add(s.cfg.Delay), Deliver
}
