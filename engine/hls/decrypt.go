package hls

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
)

// KeySize is the length of an AES-128 key: a key resource of any other
// length is wrong.
const KeySize = 16

// Decryption errors.
var (
	// ErrKeySize: the key is not KeySize bytes.
	ErrKeySize = errors.New("AES-128 key is not 16 bytes")
	// ErrPadding: the ciphertext is not whole blocks, or its PKCS#7
	// padding is wrong (a wrong key or IV, or a damaged segment).
	ErrPadding = errors.New("bad AES-128 ciphertext or padding (wrong key, wrong IV or damaged segment)")
)

// newCBC returns the AES-128-CBC decrypter for key and iv.
func newCBC(key []byte, iv [16]byte) (cipher.BlockMode, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeySize, err) // cannot happen for 16 bytes
	}
	return cipher.NewCBCDecrypter(block, iv[:]), nil
}

// Decrypt decrypts one segment encrypted with AES-128-CBC (RFC 8216
// section 4.3.2.4) and removes its PKCS#7 padding. It decrypts in place:
// the result shares ciphertext's memory, which is overwritten (also when
// the padding then turns out wrong).
func Decrypt(key []byte, iv [16]byte, ciphertext []byte) ([]byte, error) {
	mode, err := newCBC(key, iv)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of 16-byte blocks", ErrPadding, len(ciphertext))
	}
	mode.CryptBlocks(ciphertext, ciphertext)
	return unpad(ciphertext)
}

// unpad removes PKCS#7 padding from whole decrypted blocks.
func unpad(b []byte) ([]byte, error) {
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, fmt.Errorf("%w: last byte %d", ErrPadding, n)
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, fmt.Errorf("%w: padding bytes differ", ErrPadding)
		}
	}
	return b[:len(b)-n], nil
}

// NewDecrypter returns a writer that decrypts the AES-128-CBC ciphertext
// written to it and writes the plaintext to w, for segments too large to
// hold in memory. It holds back the last block until Close, which checks
// and strips the padding and writes the rest; only after Close returns
// nil is the plaintext in w complete and right. Close does not close w.
func NewDecrypter(w io.Writer, key []byte, iv [16]byte) (io.WriteCloser, error) {
	mode, err := newCBC(key, iv)
	if err != nil {
		return nil, err
	}
	return &decrypter{w: w, mode: mode}, nil
}

type decrypter struct {
	w    io.Writer
	mode cipher.BlockMode
	buf  []byte // ciphertext not yet decrypted: at most one block and a part
	err  error  // sticky: a write error or Close
}

var errClosed = errors.New("hls: write to a closed decrypter")

func (d *decrypter) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	d.buf = append(d.buf, p...)
	// Keep the last block (it carries the padding) or the partial one.
	hold := len(d.buf) % aes.BlockSize
	if hold == 0 {
		hold = aes.BlockSize
	}
	if n := len(d.buf) - hold; n > 0 {
		d.mode.CryptBlocks(d.buf[:n], d.buf[:n])
		if _, err := d.w.Write(d.buf[:n]); err != nil {
			d.err = err
			return 0, err
		}
		d.buf = append(d.buf[:0], d.buf[n:]...)
	}
	return len(p), nil
}

func (d *decrypter) Close() error {
	if d.err == errClosed {
		return nil
	}
	if d.err != nil {
		return d.err
	}
	d.err = d.finish()
	if d.err != nil {
		return d.err
	}
	d.err = errClosed
	return nil
}

// finish decrypts the held-back block and writes it without padding.
func (d *decrypter) finish() error {
	if len(d.buf) != aes.BlockSize {
		return fmt.Errorf("%w: the ciphertext does not end on a 16-byte block", ErrPadding)
	}
	d.mode.CryptBlocks(d.buf, d.buf)
	plain, err := unpad(d.buf)
	if err != nil {
		return err
	}
	_, err = d.w.Write(plain)
	return err
}
