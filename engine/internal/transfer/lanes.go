package transfer

import (
	"context"
	"net/http"
	"sync"
)

// Over HTTP/2 Go's transport sends every request to one host over one
// TCP connection, as streams: a download's connections would then share
// one TCP window, and splitting would not help on a far or lossy link,
// where each TCP connection is held by the round trip and the losses.
// lanes gives each of a download's connections a transport of its own
// (a clone of the first), so each opens its own TCP connection, over
// HTTP/1.1 as over HTTP/2. Lane 0, the first connection (and every
// request not marked), is the base transport.
type lanes struct {
	base *http.Transport
	mu   sync.Mutex
	more map[int]*http.Transport // lane k > 0, made on first use
}

// maxLanes bounds the transports: a connection beyond it shares a lane.
const maxLanes = 64

type laneKey struct{}

// withLane marks the requests made with ctx as those of connection k of
// a download.
func withLane(ctx context.Context, k int) context.Context {
	return context.WithValue(ctx, laneKey{}, k)
}

func newLanes(base *http.Transport) *lanes {
	return &lanes{base: base, more: map[int]*http.Transport{}}
}

// RoundTrip sends req over the transport of its lane.
func (l *lanes) RoundTrip(req *http.Request) (*http.Response, error) {
	return l.lane(req.Context()).RoundTrip(req)
}

func (l *lanes) lane(ctx context.Context) *http.Transport {
	k, _ := ctx.Value(laneKey{}).(int)
	if k %= maxLanes; k <= 0 {
		return l.base
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.more[k]
	if !ok {
		t = l.base.Clone()
		l.more[k] = t
	}
	return t
}

// CloseIdleConnections closes the idle connections of every lane.
func (l *lanes) CloseIdleConnections() {
	l.base.CloseIdleConnections()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range l.more {
		t.CloseIdleConnections()
	}
}
