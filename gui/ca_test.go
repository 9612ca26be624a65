package gui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// tlsServer serves body at /NAME for each name over HTTPS with a
// certificate no system trusts, and writes its certificate to a PEM file.
func tlsServer(t *testing.T, body []byte, names ...string) (srv *testserver.Server, pemFile string) {
	t.Helper()
	srv = testserver.NewTLS()
	t.Cleanup(srv.Close)
	for _, n := range names {
		srv.Add("/"+n, body)
	}
	pemFile = filepath.Join(t.TempDir(), "my-ca.pem")
	if err := os.WriteFile(pemFile, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, pemFile
}

// secureBody is what the TLS server serves: big enough for a few pieces.
var secureBody = testserver.Content(300_000, 7)

// checkFile fails the test unless the download folder holds name with
// the served content.
func (h *harness) checkFile(name string, want []byte) {
	h.t.Helper()
	got, err := os.ReadFile(filepath.Join(h.dl, name))
	if err != nil || !bytes.Equal(got, want) {
		h.t.Errorf("%s on disk: %d bytes (want %d), %v", name, len(got), len(want), err)
	}
}

func TestExtraCACertificatesApplyLiveAndPersist(t *testing.T) {
	h := newHarness(t)
	srv, pemFile := tlsServer(t, secureBody, "secure.bin", "again.bin")

	// Without its CA the server is not trusted, and the row says where
	// to add one.
	h.u.addText(srv.URL("/secure.bin"), "", "the test")
	id := h.idByName("secure.bin")
	h.waitState(id, engine.Failed)
	r := h.rowFor(id)
	// The advice comes from the kind the engine sets, worded for the
	// window: no command-line flag.
	if s, _ := h.u.model.snapshot(id); s.Problem.Kind != engine.KindCertificate {
		t.Errorf("untrusted server: problem %+v, want KindCertificate", s.Problem)
	}
	if msg := r.message.Text; !strings.Contains(msg, "not trusted") || !strings.Contains(msg, "Extra CA certificates in Settings") || strings.Contains(msg, "--") {
		t.Errorf("untrusted server: message %q", msg)
	}

	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	if d == nil {
		t.Fatal("Settings did not open")
	}
	if d.caFile.Text != "" || !d.caClear.Disabled() {
		t.Errorf("CA file at first: %q, clear enabled %v", d.caFile.Text, !d.caClear.Disabled())
	}
	if !strings.Contains(h.overlayText(), caNoteText) {
		t.Error("the settings do not explain the CA file")
	}

	// A missing file and a file without certificates are refused with
	// the engine's reason, and nothing is saved.
	junk := filepath.Join(h.root, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{filepath.Join(h.root, "missing.pem"), junk} {
		engineErr := h.m.SetCACertFile(bad)
		if engineErr == nil {
			t.Fatalf("the engine took %s", bad)
		}
		d.maxActive.SetText("3") // not saved either
		d.caFile.SetText(bad)
		test.Tap(d.saveBtn)
		if !d.saveBtn.Disabled() || !d.cancelBtn.Disabled() {
			t.Error("buttons enabled while the file is checked")
		}
		h.until("the answer about "+bad, func() bool { return !d.saveBtn.Disabled() })
		if h.u.setDlg != d || !d.problem.Visible() || !strings.Contains(d.problem.Text, engineErr.Error()) {
			t.Errorf("%s: dialog open %v, problem %q, want the engine's %q", bad, h.u.setDlg == d, d.problem.Text, engineErr)
		}
		if got := loadSettings(h.app.Preferences(), h.dl); got.CACertFile != "" || got.MaxActive != 4 {
			t.Errorf("%s: saved settings %+v", bad, got)
		}
	}

	// A valid file is applied at once: the failed download now completes.
	d.maxActive.SetText("4")
	d.caFile.SetText(pemFile)
	if d.caClear.Disabled() {
		t.Error("clear disabled with a file named")
	}
	test.Tap(d.saveBtn)
	h.until("the dialog to close", func() bool { return h.u.setDlg == nil })
	if got := h.app.Preferences().String(prefCACertFile); got != pemFile {
		t.Errorf("saved CA file = %q, want %q", got, pemFile)
	}
	test.Tap(r.retryBtn)
	h.waitState(id, engine.Completed)
	h.checkFile("secure.bin", secureBody)

	// Cleared, the server is not trusted again, at once.
	test.Tap(h.u.tools.settings)
	d = h.u.setDlg
	if d.caFile.Text != pemFile {
		t.Errorf("dialog shows CA file %q, want %q", d.caFile.Text, pemFile)
	}
	test.Tap(d.caClear)
	if d.caFile.Text != "" || !d.caClear.Disabled() {
		t.Errorf("after clear: %q, clear enabled %v", d.caFile.Text, !d.caClear.Disabled())
	}
	test.Tap(d.saveBtn)
	h.until("the dialog to close", func() bool { return h.u.setDlg == nil })
	if got := h.app.Preferences().String(prefCACertFile); got != "" {
		t.Errorf("saved CA file after clearing = %q", got)
	}
	h.u.addText(srv.URL("/again.bin"), "", "the test")
	h.waitState(h.idByName("again.bin"), engine.Failed)
}

func TestExtraCACertificatesAppliedAtStart(t *testing.T) {
	srv, pemFile := tlsServer(t, secureBody, "at-start.bin")
	h := newHarnessWithPrefs(t, func(p fyne.Preferences) { p.SetString(prefCACertFile, pemFile) })
	if h.overlayText() != "" {
		t.Errorf("a dialog at start: %s", h.overlayText())
	}
	h.u.addText(srv.URL("/at-start.bin"), "", "the test")
	h.waitState(h.idByName("at-start.bin"), engine.Completed)
	h.checkFile("at-start.bin", secureBody)
}

func TestExtraCACertificatesRefusedAtStartKeepHaulRunning(t *testing.T) {
	gone := filepath.Join(t.TempDir(), "gone.pem")
	h := newHarnessWithPrefs(t, func(p fyne.Preferences) { p.SetString(prefCACertFile, gone) })
	if got := h.overlayText(); !strings.Contains(got, "Extra CA certificates not loaded") || !strings.Contains(got, "gone.pem") {
		t.Errorf("dialog at start = %s", got)
	}
	if n := len(h.u.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs at start, want 1", n)
	}

	// Haul works without it.
	h.u.addText(h.url("/f/still.bin"), "", "the test")
	h.waitState(h.idByName("still.bin"), engine.Completed)

	// The setting is kept, and Settings says what is wrong with it.
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	if d.caFile.Text != gone || !d.problem.Visible() || !strings.Contains(d.problem.Text, "gone.pem") {
		t.Errorf("settings: CA file %q, problem %v %q", d.caFile.Text, d.problem.Visible(), d.problem.Text)
	}
	if got := h.app.Preferences().String(prefCACertFile); got != gone {
		t.Errorf("saved CA file = %q, want it kept", got)
	}
}
