package hls

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestDecrypterStreamsWhatDecryptGives(t *testing.T) {
	root := testserver.HLSFixtures()
	key, _ := fs.ReadFile(root, "aes/key1.key")
	cipherText, _ := fs.ReadFile(root, "aes/seg0.ts")
	want, _ := fs.ReadFile(root, "ts/seg0.ts")
	iv := *fixture(t, "aes/index.m3u8").Media.Segments[0].Key.IV
	r := rand.New(rand.NewPCG(1, 2))
	for _, chunk := range []int{1, 15, 16, 17, 4096, len(cipherText), -1} {
		var out bytes.Buffer
		d, err := NewDecrypter(&out, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		for rest := cipherText; len(rest) > 0; {
			n := chunk
			if n < 0 {
				n = 1 + r.IntN(100) // random sizes
			}
			n = min(n, len(rest))
			if m, err := d.Write(rest[:n]); m != n || err != nil {
				t.Fatalf("Write = %d, %v", m, err)
			}
			rest = rest[n:]
			// Never more than the ciphertext so far, less the held-back block.
			if written := len(cipherText) - len(rest); out.Len() > written-1 {
				t.Fatalf("chunk %d: %d bytes out after %d in", chunk, out.Len(), written)
			}
		}
		if err := d.Close(); err != nil {
			t.Fatalf("chunk %d: Close: %v", chunk, err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("chunk %d: plaintext differs (%d bytes, want %d)", chunk, out.Len(), len(want))
		}
		if err := d.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, err := d.Write([]byte{1}); err == nil {
			t.Error("Write after Close succeeded")
		}
	}
}

func TestDecrypterErrors(t *testing.T) {
	if _, err := NewDecrypter(&bytes.Buffer{}, make([]byte, 8), [16]byte{}); !errors.Is(err, ErrKeySize) {
		t.Errorf("short key: %v", err)
	}
	key := bytes.Repeat([]byte{3}, 16)
	for name, in := range map[string][]byte{
		"empty":        nil,
		"partial":      make([]byte, 20),
		"bad padding":  encrypt(t, key, append(bytes.Repeat([]byte{9}, 31), 0)),
		"mixed pading": encrypt(t, key, append(bytes.Repeat([]byte{9}, 29), 1, 3, 3)),
	} {
		var out bytes.Buffer
		d, _ := NewDecrypter(&out, key, [16]byte{})
		_, _ = d.Write(in)
		err := d.Close()
		if !errors.Is(err, ErrPadding) {
			t.Errorf("%s: Close = %v", name, err)
		}
		if err2 := d.Close(); !errors.Is(err2, ErrPadding) {
			t.Errorf("%s: second Close = %v, the failure is forgotten", name, err2)
		}
	}
	boom := errors.New("disk full")
	d, _ := NewDecrypter(failWriter{boom}, key, [16]byte{})
	if _, err := d.Write(make([]byte, 64)); !errors.Is(err, boom) {
		t.Errorf("Write: %v", err)
	}
	if err := d.Close(); !errors.Is(err, boom) {
		t.Errorf("Close after a failed write: %v", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
