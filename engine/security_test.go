package engine

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/engine/testserver"
)

// hostileDispositions are Content-Disposition values a hostile server
// might send, with the name Haul must end up using.
var hostileDispositions = []struct {
	header, want string
}{
	{`attachment; filename="../../../../etc/passwd"`, "passwd"},
	{`attachment; filename="..\\..\\Windows\\System32\\evil.dll"`, "evil.dll"},
	{`attachment; filename="/etc/cron.d/x"`, "x"},
	{`attachment; filename=".bashrc"`, "bashrc"},
	{`attachment; filename="C:x.exe"`, "C_x.exe"},                               // no drive-relative path on Windows
	{`attachment; filename="CON.txt"`, "CON_.txt"},                              // no device name on Windows
	{`attachment; filename="invoice` + "\u202e" + `fdp.exe"`, "invoicefdp.exe"}, // no right-to-left override
	{"attachment; filename*=UTF-8''%1B%5D0%3Bpwned%07a.txt", "a.txt"},           // no terminal escape
	{`attachment; filename*=UTF-8''..%2F..%2Fescape.txt`, "escape.txt"},
	{`attachment; filename="trailing. . ."`, "trailing"},
	{`attachment; filename=".."`, "cdk"}, // nothing usable: the URL's name (/cdk)
	{`attachment; filename="` + strings.Repeat("A", 1000) + `.jpg"`, strings.Repeat("A", safename.MaxBytes-4) + ".jpg"},
}

func TestHostileContentDispositionStaysInFolder(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	e := newEnv(t)
	data := []byte("payload")
	var ids []string
	for i, tc := range hostileDispositions {
		p := "/cd" + string(rune('a'+i))
		srv.Add(p, data, testserver.ContentDisposition(tc.header))
		ids = append(ids, e.add(srv.URL(p)))
	}
	for i, id := range ids {
		s := e.mustComplete(id, data)
		tc := hostileDispositions[i]
		if s.Name != tc.want {
			t.Errorf("%s: saved as %q, want %q", tc.header, s.Name, tc.want)
		}
		if filepath.Dir(s.Path()) != e.dl {
			t.Errorf("%s: written to %s, outside %s", tc.header, s.Path(), e.dl)
		}
	}
	assertOnlyInside(t, filepath.Dir(e.dl), e.dl, e.state)
}

// assertOnlyInside walks parent and fails on anything that is neither
// under one of the allowed folders nor a folder leading to one.
func assertOnlyInside(t *testing.T, parent string, allowed ...string) {
	t.Helper()
	sep := string(filepath.Separator)
	filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == parent {
			return err
		}
		for _, a := range allowed {
			if p == a || strings.HasPrefix(p, a+sep) || (d.IsDir() && strings.HasPrefix(a, p+sep)) {
				return nil
			}
		}
		t.Errorf("something was written outside the download folder: %s", p)
		return nil
	})
}

func TestNameComesFromTheURLTheUserGaveNotTheRedirect(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := []byte("img")
	srv.Add("/photos/cat.jpg", nil, testserver.Redirect(302, "/cdn/.bashrc"))
	srv.Add("/cdn/.bashrc", data)
	e := newEnv(t)
	s := e.mustComplete(e.add(srv.URL("/photos/cat.jpg")), data)
	if s.Name != "cat.jpg" {
		t.Errorf("saved as %q, want the name from the URL the user gave", s.Name)
	}
}

func TestRedirectRules(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/loop1", nil, testserver.Redirect(302, "/loop2"))
	srv.Add("/loop2", nil, testserver.Redirect(302, "/loop1"))
	for i := range 12 {
		srv.Add("/hop"+string(rune('a'+i)), nil, testserver.Redirect(301, "/hop"+string(rune('a'+i+1))))
	}
	srv.Add("/hopm", []byte("end"))
	srv.Add("/tofile", nil, testserver.Redirect(302, "file:///etc/passwd"))
	srv.Add("/toftp", nil, testserver.Redirect(302, "ftp://example.com/x"))
	e := newEnv(t)
	for path, want := range map[string]string{
		"/loop1":  "redirect loop",
		"/hopa":   "too many redirects",
		"/tofile": "only http and https",
		"/toftp":  "only http and https",
	} {
		s := e.wait(e.add(srv.URL(path)))
		if s.State != Failed || !strings.Contains(s.Err, want) {
			t.Errorf("%s: state %v err %q, want %q", path, s.State, s.Err, want)
		}
	}
	if f := e.files(); len(f) != 0 {
		t.Errorf("files written: %v", f)
	}
}

func TestCredentialsStayWithTheirOrigin(t *testing.T) {
	other := testserver.New()
	defer other.Close()
	data := []byte("elsewhere")
	other.Add("/file", data)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/private", nil, testserver.RequireAuth("alice", "pw"), testserver.Redirect(302, other.URL("/file")))
	e := newEnv(t)
	u := strings.Replace(srv.URL("/private"), "http://", "http://alice:pw@", 1)
	e.mustComplete(e.add(u), data)
	for _, r := range other.Requests("/file") {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("credentials sent to another origin: %q", r.Header.Get("Authorization"))
		}
	}
	if len(other.Requests("/file")) == 0 {
		t.Fatal("redirect not followed")
	}
}

func TestHTTPSDowngradeRefusedUnlessAllowed(t *testing.T) {
	plain := testserver.New()
	defer plain.Close()
	plain.Add("/x", []byte("x"))
	tls := testserver.NewTLS()
	defer tls.Close()
	tls.Add("/down", nil, testserver.Redirect(302, plain.URL("/x")))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, tls.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.CACertFile = ca })
	s := e.wait(e.add(tls.URL("/down")))
	if s.State != Failed || !strings.Contains(s.Err, "https to plain http") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	e2 := newEnv(t, func(o *Options) { o.CACertFile = ca; o.AllowDowngrade = true })
	e2.mustComplete(e2.add(tls.URL("/down")), []byte("x"))
}

func TestCertificatesAreVerified(t *testing.T) {
	tls := testserver.NewTLS()
	defer tls.Close()
	data := []byte("secure")
	tls.Add("/s.bin", data)
	e := newEnv(t)
	s := e.wait(e.add(tls.URL("/s.bin")))
	if s.State != Failed || !strings.Contains(s.Err, "certificate") {
		t.Fatalf("untrusted certificate: state %v err %q", s.State, s.Err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, tls.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, func(o *Options) { o.CACertFile = ca })
	e2.mustComplete(e2.add(tls.URL("/s.bin")), data)
}

func TestPlantedSymlinksAreNotFollowedOutside(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := []byte("new content")
	srv.Add("/a.txt", data)
	srv.Add("/b.txt", data)
	e := newEnv(t)
	outside := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(outside, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(e.dl, 0o755)
	if err := os.Symlink(outside, filepath.Join(e.dl, "a.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(e.dl, "b.txt.part")); err != nil {
		t.Fatal(err)
	}
	sa := e.mustComplete(e.add(srv.URL("/a.txt")), data)
	sb := e.mustComplete(e.add(srv.URL("/b.txt")), data)
	if sa.Name == "a.txt" || sb.Name == "b.txt" {
		t.Errorf("names %q %q reuse a planted link", sa.Name, sb.Name)
	}
	if got, _ := os.ReadFile(outside); string(got) != "keep me" {
		t.Errorf("the file outside was changed: %q", got)
	}
}

func TestExistingFileIsNeverOverwritten(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := []byte("downloaded")
	srv.Add("/report.pdf", data)
	e := newEnv(t)
	os.MkdirAll(e.dl, 0o755)
	mine := filepath.Join(e.dl, "report.pdf")
	if err := os.WriteFile(mine, []byte("my own"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := e.mustComplete(e.add(srv.URL("/report.pdf")), data)
	if s.Name != "report (1).pdf" {
		t.Errorf("saved as %q", s.Name)
	}
	if got, _ := os.ReadFile(mine); string(got) != "my own" {
		t.Errorf("existing file overwritten: %q", got)
	}
	if st, _ := os.Stat(s.Path()); st.Mode().Perm() != 0o644&^currentUmask() {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

func TestOversizedHeadersAreRefused(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/h", []byte("x"), testserver.Header("X-Junk", strings.Repeat("a", 100<<10)))
	e := newEnv(t)
	s := e.wait(e.add(srv.URL("/h")))
	if s.State != Failed || s.Problem.Kind != KindProtocol || !strings.Contains(s.Err, "headers are too large") {
		t.Fatalf("state %v problem %+v; want refused for headers over the limit", s.State, s.Problem)
	}
	if n := srv.Stats("/h").Requests; n != 1 {
		t.Errorf("%d requests: an answer too large to read is final", n)
	}
	if f := e.files(); len(f) != 0 {
		t.Errorf("files left: %v", f)
	}
}

func TestCACertCanBeSetWhileRunning(t *testing.T) {
	tls := testserver.NewTLS()
	defer tls.Close()
	data := []byte("secure")
	tls.Add("/s.bin", data)
	e := newEnv(t)
	if err := e.m.SetCACertFile(filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("a missing CA file was accepted")
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, tls.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.m.SetCACertFile(ca); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(e.add(tls.URL("/s.bin")), data)
}
