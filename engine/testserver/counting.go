package testserver

import (
	"io"
	"net/http"
	"sync"
)

// Counter is an HTTP client transport that counts the requests in flight
// from the client's side, exactly: a request counts from the start of
// RoundTrip until its response body is closed (or RoundTrip failed). A
// client that holds a slot for each request it sends can never exceed
// its limit here, however fast or slow the machine; the server's own
// InFlight can briefly count a request the client already gave up.
type Counter struct {
	rt http.RoundTripper

	mu       sync.Mutex
	inFlight int
	max      int
}

// NewCounter wraps rt (nil: a plain http.Transport without compression).
func NewCounter(rt http.RoundTripper) *Counter {
	if rt == nil {
		rt = &http.Transport{DisableCompression: true}
	}
	return &Counter{rt: rt}
}

// RoundTrip sends the request through the wrapped transport, counting it.
func (c *Counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inFlight++
	c.max = max(c.max, c.inFlight)
	c.mu.Unlock()
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		c.done()
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, c: c}
	return resp, nil
}

func (c *Counter) done() {
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
}

// InFlight is the number of requests in flight now.
func (c *Counter) InFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight
}

// Max is the most requests that were in flight at once.
func (c *Counter) Max() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

type countedBody struct {
	io.ReadCloser
	c    *Counter
	once sync.Once
}

func (b *countedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.c.done)
	return err
}
