package boxes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newStore(t *testing.T) (*Store, *File, string) {
	dir := t.TempDir()
	f := &File{Path: filepath.Join(dir, SecretsFileName)}
	return Open(dir, f), f, dir
}

func TestBoxesAreSavedWithoutTheirSecret(t *testing.T) {
	s, f, dir := newStore(t)
	secret := "hunter2-box-secret"
	if err := s.Put("", Box{Name: "nas", URL: "ws://192.168.1.5:6800/jsonrpc"}, &secret); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("", Box{Name: "seedbox", URL: "wss://seed.example.com/jsonrpc", CACertFile: "/etc/ca.pem"}, nil); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "nas" || list[1].CACertFile != "/etc/ca.pem" {
		t.Fatalf("List: %+v, %v", list, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil || strings.Contains(string(data), secret) {
		t.Fatalf("remotes.json (%v) holds the secret:\n%s", err, data)
	}
	fi, err := os.Stat(f.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the secrets file: %v, mode %v, want 0600", err, fi.Mode().Perm())
	}
	b, err := s.Get("nas")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.Config(b)
	if err != nil || cfg.Secret != secret || cfg.URL != b.URL {
		t.Fatalf("Config: %+v, %v", cfg, err)
	}
}

func TestRenameKeepsTheSecretAndRemoveForgetsIt(t *testing.T) {
	s, f, _ := newStore(t)
	secret := "abc"
	if err := s.Put("", Box{Name: "old", URL: "ws://127.0.0.1:6800"}, &secret); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("old", Box{Name: "new", URL: "ws://127.0.0.1:6800"}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get("new"); got != secret {
		t.Fatalf("after a rename the secret is %q", got)
	}
	if got, _ := f.Get("old"); got != "" {
		t.Fatalf("the old name keeps the secret %q", got)
	}
	if err := s.Remove("new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get("new"); got != "" {
		t.Fatalf("a removed box keeps its secret %q", got)
	}
	var nf *NotFoundError
	if _, err := s.Get("new"); !errors.As(err, &nf) {
		t.Fatalf("Get of a removed box: %v", err)
	}
}

func TestBadBoxesAreRefusedAndNothingIsLost(t *testing.T) {
	s, _, _ := newStore(t)
	if err := s.Put("", Box{Name: "nas", URL: "ws://10.0.0.2:6800"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, b := range []Box{
		{Name: "", URL: "ws://10.0.0.2:6800"},
		{Name: "x", URL: "ftp://10.0.0.2"},
		{Name: "x", URL: "ws://user:pw@10.0.0.2"},
		{Name: "a\nb", URL: "ws://10.0.0.2"},
	} {
		if err := s.Put("", b, nil); err == nil {
			t.Errorf("Put(%+v) accepted", b)
		}
	}
	if err := s.Put("", Box{Name: "other", URL: "ws://10.0.0.3:6800"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("other", Box{Name: "nas", URL: "ws://10.0.0.3:6800"}, nil); err == nil {
		t.Error("renaming onto an existing name was accepted")
	}
	list, _ := s.List()
	if len(list) != 2 || list[0].URL != "ws://10.0.0.2:6800" {
		t.Fatalf("after refused changes the list is %+v", list)
	}
}

func TestDetectFallsBackToTheFileWithoutASecretStore(t *testing.T) {
	// A session bus that does not exist: no Secret Service answers.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	dir := t.TempDir()
	sec := Detect(dir)
	if !sec.InFile() || !strings.Contains(sec.Where(), filepath.Join(dir, SecretsFileName)) {
		t.Fatalf("Detect without a store: %T %q, want the file in %s", sec, sec.Where(), dir)
	}
}
