package hls

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
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

// Decrypt decrypts one segment encrypted with AES-128-CBC (RFC 8216
// section 4.3.2.4) and removes its PKCS#7 padding. It decrypts in place:
// the result shares ciphertext's memory, which is overwritten.
func Decrypt(key []byte, iv [16]byte, ciphertext []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrKeySize, len(key))
	}
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of 16-byte blocks", ErrPadding, len(ciphertext))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeySize, err) // cannot happen for 16 bytes
	}
	cipher.NewCBCDecrypter(block, iv[:]).CryptBlocks(ciphertext, ciphertext)
	n := int(ciphertext[len(ciphertext)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, fmt.Errorf("%w: last byte %d", ErrPadding, n)
	}
	for _, b := range ciphertext[len(ciphertext)-n:] {
		if int(b) != n {
			return nil, fmt.Errorf("%w: padding bytes differ", ErrPadding)
		}
	}
	return ciphertext[:len(ciphertext)-n], nil
}
