package nativehost

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// chromiumID computes an extension ID from a manifest key the way
// Chromium does: SHA-256 of the DER public key, the first 32 hex digits
// mapped 0-f to a-p.
func chromiumID(key string) (string, error) {
	der, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	h := hex.EncodeToString(sum[:16])
	var b strings.Builder
	for _, c := range h {
		if c <= '9' {
			b.WriteByte(byte('a' + c - '0'))
		} else {
			b.WriteByte(byte('a' + 10 + c - 'a'))
		}
	}
	return b.String(), nil
}

func TestIDsMatchTheExtension(t *testing.T) {
	raw, err := os.ReadFile("../browser/extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Key      string `json:"key"`
		Specific struct {
			Gecko struct {
				ID string `json:"id"`
			} `json:"gecko"`
		} `json:"browser_specific_settings"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	id, err := chromiumID(m.Key)
	if err != nil {
		t.Fatalf("manifest key: %v", err)
	}
	if id != ExtensionID {
		t.Errorf("the manifest's key gives the ID %s, ExtensionID is %s", id, ExtensionID)
	}
	if m.Specific.Gecko.ID != GeckoID {
		t.Errorf("gecko id %q, GeckoID %q", m.Specific.Gecko.ID, GeckoID)
	}
	js, err := os.ReadFile("../browser/extension/lib/constants.js")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`HOST_NAME = "` + regexp.QuoteMeta(HostName) + `"`).Match(js) {
		t.Errorf("constants.js does not name the host %s", HostName)
	}
}
