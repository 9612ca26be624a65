package transfer

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"os"
	"strings"
)

// checksum is an expected digest of a whole file.
type checksum struct {
	algo   string // "sha256", "sha512", "sha1", "md5"
	sum    []byte
	source string // "given" or the header it came from
}

func (c checksum) String() string { return c.algo + "=" + hex.EncodeToString(c.sum) }

var digestSizes = map[string]int{"sha512": 64, "sha256": 32, "sha1": 20, "md5": 16}

// digestStrength orders algorithms, strongest first.
var digestStrength = []string{"sha512", "sha256", "sha1", "md5"}

func newHash(algo string) hash.Hash {
	switch algo {
	case "sha512":
		return sha512.New()
	case "sha256":
		return sha256.New()
	case "sha1":
		return sha1.New()
	case "md5":
		return md5.New()
	}
	return nil
}

// normAlgo maps spellings such as "SHA-256" to "sha256".
func normAlgo(a string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(a)), "-", "")
}

// ParseChecksum reads a user's checksum, "sha256=HEX" (also sha512, sha1,
// md5; "sha-256" accepted).
func ParseChecksum(s string) (algo, hexsum string, err error) {
	c, err := parseChecksum(s)
	if err != nil {
		return "", "", err
	}
	return c.algo, hex.EncodeToString(c.sum), nil
}

func parseChecksum(s string) (checksum, error) {
	a, v, ok := strings.Cut(strings.TrimSpace(s), "=")
	if !ok {
		return checksum{}, fmt.Errorf("checksum %q: want ALGO=HEX, e.g. sha256=…", s)
	}
	algo := normAlgo(a)
	size, known := digestSizes[algo]
	if !known {
		return checksum{}, fmt.Errorf("checksum %q: unsupported algorithm %q (use sha256, sha512, sha1 or md5)", s, a)
	}
	sum, err := hex.DecodeString(strings.TrimSpace(v))
	if err != nil || len(sum) != size {
		return checksum{}, fmt.Errorf("checksum %q: want %d hex digits for %s", s, 2*size, algo)
	}
	return checksum{algo: algo, sum: sum, source: "given"}, nil
}

// serverChecksum returns the strongest whole-file digest a response
// announces: Repr-Digest (RFC 9530), Digest (RFC 3230), or Content-MD5 on
// a full 200 response. ok is false when there is none usable.
func serverChecksum(h http.Header, status int) (checksum, bool) {
	found := map[string]checksum{}
	add := func(algo, b64, source string) {
		algo = normAlgo(algo)
		size, known := digestSizes[algo]
		if !known {
			return
		}
		sum, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil || len(sum) != size {
			return
		}
		if _, dup := found[algo]; !dup {
			found[algo] = checksum{algo: algo, sum: sum, source: source}
		}
	}
	for _, v := range h.Values("Repr-Digest") {
		for _, item := range strings.Split(v, ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(item), "=")
			if ok && len(val) >= 2 && strings.HasPrefix(val, ":") && strings.HasSuffix(val, ":") {
				add(k, val[1:len(val)-1], "Repr-Digest")
			}
		}
	}
	for _, v := range h.Values("Digest") {
		for _, item := range strings.Split(v, ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(item), "=")
			if ok {
				add(k, val, "Digest")
			}
		}
	}
	if status == http.StatusOK {
		if v := h.Get("Content-MD5"); v != "" {
			add("md5", v, "Content-MD5")
		}
	}
	for _, a := range digestStrength {
		if c, ok := found[a]; ok {
			return c, true
		}
	}
	return checksum{}, false
}

// VerifyFile checks the file at path against every checksum given
// ("algo=hex"; empty ones are skipped): nil when it matches them all, an
// *IntegrityError when it does not.
func VerifyFile(ctx context.Context, path string, checksums ...string) error {
	var sums []checksum
	for _, s := range checksums {
		if s == "" {
			continue
		}
		c, err := parseChecksum(s)
		if err != nil {
			return err
		}
		sums = append(sums, c)
	}
	if len(sums) == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s to verify it: %w", path, err)
	}
	defer f.Close()
	return verify(ctx, f, sums)
}
