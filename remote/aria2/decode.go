package aria2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// message is one decoded frame from the box: a reply (id with a result or
// an error) or a notification.
type message struct {
	id     uint64
	result json.RawMessage
	rpcErr error
	note   *Notification
}

// decodeMessage checks a frame's envelope: a JSON object that is either a
// reply to one of our ids or an aria2 notification about a GID.
func decodeMessage(data []byte) (message, error) {
	var env struct {
		ID     json.RawMessage `json:"id"`
		Method *string         `json:"method"`
		Params json.RawMessage `json:"params"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    *int    `json:"code"`
			Message *string `json:"message"`
		} `json:"error"`
	}
	if err := strictUnmarshal(data, &env); err != nil {
		return message{}, &ProtocolError{Reason: "not a JSON-RPC object", Err: err}
	}
	if env.Method != nil {
		var params []struct {
			GID *string `json:"gid"`
		}
		if err := strictUnmarshal(env.Params, &params); err != nil || len(params) == 0 || params[0].GID == nil {
			return message{}, &ProtocolError{Reason: fmt.Sprintf("notification %.64q without a GID", *env.Method), Err: err}
		}
		if err := checkGID(*params[0].GID); err != nil {
			return message{}, &ProtocolError{Reason: "notification " + *env.Method, Err: err}
		}
		return message{note: &Notification{Method: *env.Method, GID: *params[0].GID}}, nil
	}
	var idText string
	if err := strictUnmarshal(env.ID, &idText); err != nil {
		return message{}, &ProtocolError{Reason: "a reply whose id is not one of ours", Err: err}
	}
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return message{}, &ProtocolError{Reason: fmt.Sprintf("a reply with id %.32q", idText)}
	}
	m := message{id: id}
	switch {
	case env.Error != nil:
		if env.Error.Code == nil || env.Error.Message == nil {
			return message{}, &ProtocolError{Reason: "an error without a code or message"}
		}
		m.rpcErr = &RPCError{Code: *env.Error.Code, Message: clip(*env.Error.Message, 512)}
	case len(env.Result) > 0:
		m.result = env.Result
	default:
		return message{}, &ProtocolError{Reason: "a reply with neither result nor error"}
	}
	return m, nil
}

// strictUnmarshal decodes JSON that must be present (not empty or null).
func strictUnmarshal(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return errors.New("missing")
	}
	return json.Unmarshal(data, v)
}

// decodeResult decodes a reply's result into out and checks it when out
// knows how (a checker).
func decodeResult(data json.RawMessage, out any) error {
	if err := strictUnmarshal(data, out); err != nil {
		return err
	}
	if c, ok := out.(checker); ok {
		return c.check()
	}
	return nil
}

type checker interface{ check() error }

// Num is one of aria2's numbers, which it sends as decimal strings. Any
// other JSON (a number, a negative, text) is refused.
type Num int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Num) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a number as a string expected: %w", err)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || strings.HasPrefix(s, "+") {
		return fmt.Errorf("%.32q is not a count", s)
	}
	*n = Num(v)
	return nil
}

// checkGID accepts aria2's GIDs: 16 hexadecimal digits.
func checkGID(g string) error {
	if len(g) != 16 {
		return fmt.Errorf("GID %.32q is not 16 hex digits", g)
	}
	for _, r := range g {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return fmt.Errorf("GID %.32q is not 16 hex digits", g)
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
