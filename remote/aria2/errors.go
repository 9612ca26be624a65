package aria2

import (
	"errors"
	"fmt"
)

// ErrClosed is returned by calls on a client whose connection has ended.
var ErrClosed = errors.New("aria2: connection closed")

// ErrUnauthorized is returned when aria2 refuses the RPC secret.
var ErrUnauthorized = errors.New("aria2: the box refused the secret (check the RPC secret)")

// RPCError is an error answered by aria2 itself (a JSON-RPC error object):
// an unknown GID, a bad option, a refused URI. Code is aria2's code.
type RPCError struct {
	Method  string
	Code    int
	Message string
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("aria2: %s: %s (code %d)", e.Method, e.Message, e.Code)
}

// ProtocolError is a reply Haul refuses to use: not JSON, too large,
// fields of the wrong type or missing. The connection it came on is
// closed, since nothing after it can be trusted to line up.
type ProtocolError struct {
	Reason string
	Err    error
}

func (e *ProtocolError) Error() string {
	if e.Err != nil {
		return "aria2: bad reply: " + e.Reason + ": " + e.Err.Error()
	}
	return "aria2: bad reply: " + e.Reason
}

func (e *ProtocolError) Unwrap() error { return e.Err }

// ConfigError is a box configuration that cannot be used (a bad URL, an
// unreadable CA bundle).
type ConfigError struct {
	Field  string
	Reason string
	Err    error
}

func (e *ConfigError) Error() string {
	s := "aria2: " + e.Field + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ConfigError) Unwrap() error { return e.Err }
