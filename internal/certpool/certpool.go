// Package certpool builds the certificate roots Haul trusts: the
// system's, plus an extra PEM bundle the user names (a company or home
// CA). The engine's client and the remote-box client share it.
package certpool

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// ErrNoCertificates is returned for a bundle with no PEM certificate in it.
var ErrNoCertificates = errors.New("no PEM certificates in it")

// WithExtra returns the system roots (an empty pool where the system has
// none) with the certificates of the PEM file path added. A file that
// cannot be read is an error wrapping the read's; one without a
// certificate wraps ErrNoCertificates.
func WithExtra(path string) (*x509.CertPool, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading CA bundle: %w", err)
	}
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("reading CA bundle %s: %w", path, ErrNoCertificates)
	}
	return roots, nil
}
