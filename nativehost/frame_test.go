package nativehost

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// frame frames body the way the browser does.
func frame(body string) []byte {
	b := make([]byte, 4, 4+len(body))
	binary.NativeEndian.PutUint32(b, uint32(len(body)))
	return append(b, body...)
}

// replies reads every framed reply in out.
func replies(t *testing.T, out []byte) []reply {
	t.Helper()
	var got []reply
	r := bytes.NewReader(out)
	for {
		body, err := ReadMessage(r, MaxReply)
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatalf("reading replies: %v", err)
		}
		var rep reply
		if err := json.Unmarshal(body, &rep); err != nil {
			t.Fatalf("reply %q is not JSON: %v", body, err)
		}
		got = append(got, rep)
	}
}

func TestReadMessageUsesNativeByteOrder(t *testing.T) {
	body, err := ReadMessage(bytes.NewReader(frame(`{"type":"ping"}`)), MaxIncoming)
	if err != nil || string(body) != `{"type":"ping"}` {
		t.Fatalf("ReadMessage = %q, %v", body, err)
	}
}

func TestReadMessageRefusesOverSizeWithoutReadingIt(t *testing.T) {
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], MaxIncoming+1)
	r := io.MultiReader(bytes.NewReader(b[:]), strings.NewReader("{}"))
	_, err := ReadMessage(r, MaxIncoming)
	var fe *FrameError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "over Haul's limit") {
		t.Fatalf("ReadMessage = %v, want an over-size FrameError", err)
	}
	// A 4 GB announcement is refused the same way, not allocated.
	binary.NativeEndian.PutUint32(b[:], 0xFFFFFFFF)
	if _, err := ReadMessage(bytes.NewReader(b[:]), MaxIncoming); !errors.As(err, &fe) {
		t.Fatalf("4 GB: %v", err)
	}
}

func TestReadMessageCutShort(t *testing.T) {
	var fe *FrameError
	if _, err := ReadMessage(bytes.NewReader([]byte{1, 0}), MaxIncoming); !errors.As(err, &fe) {
		t.Errorf("cut in the length: %v", err)
	}
	full := frame(`{"type":"ping"}`)
	if _, err := ReadMessage(bytes.NewReader(full[:len(full)-3]), MaxIncoming); !errors.As(err, &fe) {
		t.Errorf("cut in the body: %v", err)
	}
	if _, err := ReadMessage(bytes.NewReader(nil), MaxIncoming); !errors.Is(err, io.EOF) {
		t.Errorf("empty stream: %v, want io.EOF", err)
	}
}

func TestWriteMessageFramesAndCapsReplies(t *testing.T) {
	var out bytes.Buffer
	if err := WriteMessage(&out, reply{OK: true}); err != nil {
		t.Fatal(err)
	}
	if n := binary.NativeEndian.Uint32(out.Bytes()[:4]); int(n) != out.Len()-4 {
		t.Errorf("length %d, body %d bytes", n, out.Len()-4)
	}
	if err := WriteMessage(io.Discard, reply{Error: strings.Repeat("x", MaxReply)}); err == nil {
		t.Error("a reply over 1 MB was written")
	}
}
