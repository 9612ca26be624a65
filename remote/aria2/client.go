// Package aria2 drives a remote aria2 daemon through its JSON-RPC 2.0
// interface over a WebSocket (ws:// or wss://, the RPC secret sent as
// "token:…"). Client is one connection: every call takes a context, and a
// reply that is too large, not JSON or of the wrong shape is refused with
// a *ProtocolError. Watcher keeps a client connected (reconnecting with
// backoff) and polls the daemon's list at most once a second.
//
// The secret is only ever written into the requests: it is not kept in
// errors, and a message from the box that repeats it has it blanked out.
package aria2

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/haul-dl/haul/internal/certpool"
)

// MaxReply is the largest message accepted from the box, in bytes. A
// list of a few thousand downloads with their files fits many times.
const MaxReply = 8 << 20

// Config says where a box is and how to reach it.
type Config struct {
	URL        string // ws://host:6800/jsonrpc or wss://…
	Secret     string // aria2's --rpc-secret; empty when the box has none
	CACertFile string // PEM bundle trusted besides the system roots (wss)
	// DialTimeout bounds the connection and handshake; 0 means 15 s.
	DialTimeout time.Duration
}

// Endpoint checks the URL and returns it parsed: ws or wss (http and https
// are taken as their WebSocket twins), a host, and no user or password in
// it (the secret has its own field, so it never shows in a URL).
func (c Config) Endpoint() (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(c.URL))
	if err != nil {
		return nil, &ConfigError{Field: "URL", Reason: "not a URL", Err: errors.Unwrap(err)}
	}
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
		u.Scheme = "ws"
	case "wss", "https":
		u.Scheme = "wss"
	default:
		return nil, &ConfigError{Field: "URL", Reason: fmt.Sprintf("scheme %q: use ws:// or wss://", u.Scheme)}
	}
	if u.Hostname() == "" {
		return nil, &ConfigError{Field: "URL", Reason: "no host"}
	}
	if u.User != nil {
		return nil, &ConfigError{Field: "URL", Reason: "has a user or password in it; put the RPC secret in the secret field"}
	}
	if u.Path == "" {
		u.Path = "/jsonrpc"
	}
	return u, nil
}

// ClearText reports whether the secret would travel unencrypted over a
// network: a ws:// URL to a host that is neither loopback nor a private
// address. Of names, only those of the local network count as private:
// localhost, one label ("nas"), and the .local, .lan, .home.arpa and
// .internal names of home networks.
func (c Config) ClearText() bool {
	u, err := c.Endpoint()
	if err != nil || u.Scheme != "ws" {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if ip := net.ParseIP(host); ip != nil {
		return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast())
	}
	if host == "localhost" || !strings.Contains(host, ".") {
		return false
	}
	for _, suffix := range []string{".localhost", ".local", ".lan", ".home.arpa", ".internal"} {
		if strings.HasSuffix(host, suffix) {
			return false
		}
	}
	return true
}

func (c Config) httpClient() (*http.Client, error) {
	var roots *x509.CertPool
	if c.CACertFile != "" {
		var err error
		if roots, err = certpool.WithExtra(c.CACertFile); errors.Is(err, certpool.ErrNoCertificates) {
			return nil, &ConfigError{Field: "CA bundle", Reason: c.CACertFile + " has no PEM certificates"}
		} else if err != nil {
			return nil, &ConfigError{Field: "CA bundle", Reason: "cannot read it", Err: err}
		}
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 15 * time.Second,
	}}, nil
}

// Notification is an event aria2 pushed: Method is e.g.
// "aria2.onDownloadComplete", GID the download it is about.
type Notification struct {
	Method string
	GID    string
}

// Client is one open JSON-RPC connection to a box. Its methods are safe
// for concurrent use.
type Client struct {
	conn   *websocket.Conn
	secret string
	notes  chan Notification
	done   chan struct{}
	cancel context.CancelFunc

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan reply
	err     error // why the connection ended, once done is closed
}

type reply struct {
	result json.RawMessage
	err    error
}

// Dial connects to the box and checks the secret with aria2.getVersion,
// so a wrong secret fails here with ErrUnauthorized. The connection lives
// until ctx ends or Close is called.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	u, err := cfg.Endpoint()
	if err != nil {
		return nil, err
	}
	hc, err := cfg.httpClient()
	if err != nil {
		return nil, err
	}
	timeout := cfg.DialTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	dctx, dcancel := context.WithTimeout(ctx, timeout)
	defer dcancel()
	conn, resp, err := websocket.Dial(dctx, u.String(), &websocket.DialOptions{HTTPClient: hc})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("aria2: connecting to %s: %w", u.Redacted(), err)
	}
	conn.SetReadLimit(MaxReply)
	lctx, cancel := context.WithCancel(ctx)
	c := &Client{
		conn:    conn,
		secret:  cfg.Secret,
		notes:   make(chan Notification, 64),
		done:    make(chan struct{}),
		cancel:  cancel,
		pending: map[uint64]chan reply{},
	}
	go c.readLoop(lctx)
	if _, err := c.Version(dctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Notifications delivers the events the box pushes. It is closed when the
// connection ends. Events that arrive while the channel is full are
// dropped: the next poll of the list shows their effect anyway.
func (c *Client) Notifications() <-chan Notification { return c.notes }

// Done is closed when the connection has ended; Err then says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err is why the connection ended (nil while it is open).
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close ends the connection; calls in flight return ErrClosed.
func (c *Client) Close() error {
	c.cancel()
	<-c.done
	return nil
}

func (c *Client) readLoop(ctx context.Context) {
	err := c.readMessages(ctx)
	if ctx.Err() != nil {
		err = ErrClosed
	}
	c.conn.CloseNow()
	c.mu.Lock()
	c.err = err
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, ch := range pending {
		ch <- reply{err: err}
	}
	close(c.notes)
	close(c.done)
}

// readMessages reads until the connection fails or a message is refused.
func (c *Client) readMessages(ctx context.Context) error {
	for {
		typ, data, err := c.conn.Read(ctx)
		if err != nil {
			if errors.Is(err, websocket.ErrMessageTooBig) {
				return &ProtocolError{Reason: fmt.Sprintf("a message larger than %d bytes", MaxReply)}
			}
			return fmt.Errorf("%w: %v", ErrClosed, err)
		}
		if typ != websocket.MessageText {
			return &ProtocolError{Reason: "a binary message"}
		}
		m, err := decodeMessage(data)
		if err != nil {
			return err
		}
		if m.note != nil {
			select {
			case c.notes <- *m.note:
			default:
			}
			continue
		}
		c.mu.Lock()
		ch, ok := c.pending[m.id]
		delete(c.pending, m.id)
		c.mu.Unlock()
		if !ok {
			return &ProtocolError{Reason: "a reply to no request (id " + strconv.FormatUint(m.id, 10) + ")"}
		}
		ch <- reply{result: m.result, err: m.rpcErr}
	}
}

// call sends one request and waits for its reply or for ctx to end.
func (c *Client) call(ctx context.Context, method string, params []any, out any) error {
	ch := make(chan reply, 1)
	c.mu.Lock()
	if c.pending == nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		if c.pending != nil {
			delete(c.pending, id)
		}
		c.mu.Unlock()
	}

	all := make([]any, 0, len(params)+1)
	if c.secret != "" {
		all = append(all, "token:"+c.secret)
	}
	all = append(all, params...)
	req, err := json.Marshal(struct {
		JSONRPC string `json:"jsonrpc"`
		ID      string `json:"id"`
		Method  string `json:"method"`
		Params  []any  `json:"params"`
	}{"2.0", strconv.FormatUint(id, 10), method, all})
	if err != nil {
		forget()
		return fmt.Errorf("aria2: %s: encoding the request: %w", method, err)
	}
	if err := c.conn.Write(ctx, websocket.MessageText, req); err != nil {
		forget()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("aria2: %s: %w", method, ErrClosed)
	}
	select {
	case <-ctx.Done():
		forget()
		return ctx.Err()
	case r := <-ch:
		if r.err != nil {
			var re *RPCError
			if errors.As(r.err, &re) {
				return c.rpcError(method, re)
			}
			return r.err
		}
		if out == nil {
			return nil
		}
		if err := decodeResult(r.result, out); err != nil {
			return &ProtocolError{Reason: method + " answered an unexpected shape", Err: err}
		}
		return nil
	}
}

// rpcError names the method and blanks out the secret should the box
// repeat it; "Unauthorized" becomes ErrUnauthorized.
func (c *Client) rpcError(method string, re *RPCError) error {
	if re.Message == "Unauthorized" {
		return ErrUnauthorized
	}
	msg := re.Message
	if c.secret != "" {
		msg = strings.ReplaceAll(msg, c.secret, "[secret]")
	}
	return &RPCError{Method: method, Code: re.Code, Message: msg}
}
