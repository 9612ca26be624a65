package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// Under a speed limit for all downloads, more connections cannot go
// faster: the ramp opens the extra ones, finds no gain and closes them, so
// most of the file comes over one connection. The ramp decides within
// about 3.2 s (rampWait for the extra connections' first bytes, then
// its measure); half the file takes 4 s at the limit, time enough on a
// loaded machine.
func TestExtraConnectionsThatDoNotHelpAreClosed(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(4 << 20)
	srv.Add("/big.bin", data)
	e := newEnv(t, func(o *Options) { o.Connections = 4; o.RateLimit = 512 << 10 })
	id := e.add(srv.URL("/big.bin"))
	e.waitFor(id, "extra connections", func(s Snapshot) bool { return s.Conns > 1 || s.State != Active })
	s := e.waitFor(id, "back to one connection", func(s Snapshot) bool { return s.Conns == 1 || s.State != Active })
	if s.State != Active || s.Received > int64(len(data))/2 {
		t.Errorf("still %d connections at %d of %d bytes (%v): the useless ones were kept", s.Conns, s.Received, len(data), s.State)
	}
	e.mustComplete(id, data)
}

// A server that throttles each connection gains from every one: the ramp
// keeps them all.
func TestExtraConnectionsThatHelpAreKept(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(4 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(1<<20))
	e := newEnv(t, func(o *Options) { o.Connections = 4 })
	id := e.add(srv.URL("/big.bin"))
	e.waitFor(id, "four connections", func(s Snapshot) bool { return s.Conns == 4 || s.State != Active })
	s := e.waitFor(id, "half the file", func(s Snapshot) bool { return s.Received >= int64(len(data))/2 || s.State != Active })
	if s.State == Active && s.Conns < 3 {
		t.Errorf("only %d connections at half the file: helpful connections were closed", s.Conns)
	}
	e.mustComplete(id, data)
}

// A first connection faster than Options.SplitAbove is never split, even
// where splitting would pay: here each connection is throttled to 1 MiB/s
// and splitting is allowed above 256 KiB/s, so the download stays on one.
func TestAFastFirstConnectionIsNotSplit(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(3 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(1<<20))
	e := newEnv(t, func(o *Options) { o.Connections = 4; o.SplitAbove = 256 << 10 })
	id := e.add(srv.URL("/big.bin"))
	most := 0
	e.waitFor(id, "the end", func(s Snapshot) bool {
		most = max(most, s.Conns)
		return s.State != Active && s.State != Queued
	})
	if most > 1 {
		t.Errorf("%d connections at once: a first connection above SplitAbove was split", most)
	}
	e.mustComplete(id, data)
}

// A far server that throttles each connection gains from every step of
// the climb: each answer comes 100 ms late (a far link's round trip), so
// every step is measured over several of them, and the ramp goes on
// doubling the connections, 1, 8, 16, up to the setting, and keeps them:
// a shed would come one measure after the sixteenth connection opened,
// long before the last quarter of the file.
func TestRampClimbsToTheSettingOnAFarThrottledServer(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(12 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(256<<10), testserver.SlowHeaders(100*time.Millisecond))
	e := newEnv(t, func(o *Options) { o.Connections = 16 })
	id := e.add(srv.URL("/big.bin"))
	s := e.waitFor(id, "sixteen connections", func(s Snapshot) bool { return s.Conns == 16 || s.State != Active })
	if s.Conns != 16 {
		t.Fatalf("the climb stopped below the setting: %d connections when the download was %v at %d of %d bytes", s.Conns, s.State, s.Received, len(data))
	}
	if least := e.fewestConns(id, s.Conns, int64(len(data))*3/4); least < 15 { // one may be between pieces
		t.Errorf("down to %d connections after sixteen: the last step was shed", least)
	}
	e.mustComplete(id, data)
}

// A step that does not raise the total is shed, and only that step: each
// connection is throttled to 200 KiB/s and the download limited to
// 1600 KiB/s, so eight connections gain 8× over one (kept), sixteen gain
// nothing over eight (shed back to eight).
func TestRampShedsTheStepThatDoesNotPay(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(4 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(200<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 16; o.RateLimit = 1600 << 10 })
	id := e.add(srv.URL("/big.bin"))
	e.waitFor(id, "sixteen connections", func(s Snapshot) bool { return s.Conns >= 16 || s.State != Active })
	s := e.waitFor(id, "back to eight", func(s Snapshot) bool { return s.Conns <= 8 || s.State != Active })
	if s.State != Active || s.Conns != 8 {
		t.Fatalf("%d connections at %d of %d bytes (%v); want the sixteen shed back to eight", s.Conns, s.Received, len(data), s.State)
	}
	if least := e.fewestConns(id, s.Conns, int64(len(data))*3/4); least < 8 {
		t.Errorf("down to %d connections: the shed closed the first step's connections too", least)
	}
	e.mustComplete(id, data)
}

// Over HTTP/2 a download's extra connections are TCP connections of
// their own, not streams multiplexed onto the first one's: the server
// sees the pieces come from as many client addresses as connections.
func TestExtraConnectionsOverHTTP2AreTCPConnectionsOfTheirOwn(t *testing.T) {
	srv := testserver.NewH2()
	defer srv.Close()
	data := randomBytes(2 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(256<<10))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.Connections = 4; o.CACertFile = ca })
	id := e.add(srv.URL("/big.bin"))
	e.mustComplete(id, data)
	addrs := map[string]bool{}
	for _, r := range srv.Requests("/big.bin") {
		if r.Proto != "HTTP/2.0" {
			t.Fatalf("a request came over %s; want HTTP/2", r.Proto)
		}
		addrs[r.RemoteAddr] = true
	}
	if len(addrs) < 4 {
		t.Errorf("the pieces came over %d TCP connections; want 4 (one per connection)", len(addrs))
	}
}

// fewestConns follows download id, which has now connections, until it
// has received until bytes (before the last pieces end one by one) or is
// no longer active, and returns the fewest connections it had meanwhile.
func (e *env) fewestConns(id string, now int, until int64) int {
	e.t.Helper()
	least := now
	e.waitFor(id, "more of the file", func(s Snapshot) bool {
		if s.State == Active {
			least = min(least, s.Conns)
		}
		return s.Received >= until || s.State != Active
	})
	return least
}
