package engine

import (
	"testing"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

func TestParseURL(t *testing.T) {
	for _, bad := range []string{"ftp://x/y", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "example.com/a.jpg", "http://", "http://:80/x", "mailto:a@b"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
	u, err := ParseURL("HTTPS://user:secret@Example.com/a.jpg#frag")
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Redacted(); got != "https://user:xxxxx@Example.com/a.jpg" {
		t.Errorf("redact = %q", got)
	}
	if got := withoutPassword(u).String(); got != "https://user@Example.com/a.jpg" {
		t.Errorf("withoutPassword = %q", got)
	}
}

func TestErrorKindsMatchTheTransfers(t *testing.T) {
	pairs := map[ErrorKind]transfer.Kind{
		KindNone: transfer.KindNone, KindNetwork: transfer.KindNetwork, KindHTTP: transfer.KindHTTP,
		KindIntegrity: transfer.KindIntegrity, KindDisk: transfer.KindDisk, KindCertificate: transfer.KindCertificate,
		KindPolicy: transfer.KindPolicy, KindProtocol: transfer.KindProtocol, KindAuth: transfer.KindAuth,
		KindInternal: transfer.KindInternal,
	}
	if len(pairs) != len(kindNames) {
		t.Fatalf("%d kinds paired, %d named", len(pairs), len(kindNames))
	}
	for pub, tr := range pairs {
		if got := publicProblem(transfer.Problem{Kind: tr}).Kind; got != pub {
			t.Errorf("transfer kind %d became %v, want %v", tr, got, pub)
		}
	}
}
