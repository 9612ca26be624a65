package nativehost

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxIncoming is the largest message Haul reads from the browser. A
// browser may send up to 4 GB; Haul's messages are far smaller (10,000
// links of a few hundred bytes each, with their cookies), so anything
// bigger is refused before it is read.
const MaxIncoming = 4 << 20

// MaxReply is the largest message Chrome accepts from a host (1 MB).
const MaxReply = 1 << 20

// FrameError is a message whose framing is broken: after it the stream
// cannot be read any further.
type FrameError struct{ Reason string }

func (e *FrameError) Error() string { return e.Reason }

// ReadMessage reads one framed message. It returns io.EOF when the
// browser closed the stream between messages, and a *FrameError for a
// message over max bytes or cut short.
func ReadMessage(r io.Reader, max int) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, &FrameError{Reason: "a message cut short in its length"}
	}
	n := binary.NativeEndian.Uint32(size[:])
	if uint64(n) > uint64(max) {
		return nil, &FrameError{Reason: fmt.Sprintf("a message of %d bytes, over Haul's limit of %d", n, max)}
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, &FrameError{Reason: fmt.Sprintf("a message cut short: %d bytes announced", n)}
	}
	return buf, nil
}

// WriteMessage writes v as one framed JSON message.
func WriteMessage(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the reply: %w", err)
	}
	if len(body) > MaxReply {
		return fmt.Errorf("a reply of %d bytes, over the browser's limit of %d", len(body), MaxReply)
	}
	buf := make([]byte, 4, 4+len(body))
	binary.NativeEndian.PutUint32(buf, uint32(len(body)))
	if _, err := w.Write(append(buf, body...)); err != nil {
		return fmt.Errorf("writing the reply: %w", err)
	}
	return nil
}
