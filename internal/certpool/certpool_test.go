package certpool

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestWithExtraAddsTheBundlesCertificates(t *testing.T) {
	srv := httptest.NewTLSServer(nil)
	defer srv.Close()
	cert := srv.Certificate()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots, err := WithExtra(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the bundle's certificate is not trusted: %v", err)
	}
}

func TestWithExtraSaysWhatIsWrongWithTheBundle(t *testing.T) {
	dir := t.TempDir()
	if _, err := WithExtra(filepath.Join(dir, "missing.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing bundle: %v, want it not to exist", err)
	}
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := WithExtra(junk); !errors.Is(err, ErrNoCertificates) {
		t.Errorf("a bundle without certificates: %v, want ErrNoCertificates", err)
	}
}
