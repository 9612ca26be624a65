package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/nativehost"
)

// TestBrowserStartsTheNativeHost checks that haul run the way a browser
// runs its host (the caller's origin, or Firefox's manifest path and
// extension ID, as arguments) answers on stdout instead of opening the
// window or taking the argument for a link.
func TestBrowserStartsTheNativeHost(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	ping := []byte(`{"type":"ping"}`)
	for _, args := range [][]string{
		{nativehost.ChromeOrigin},
		{filepath.Join(home, ".mozilla/native-messaging-hosts", nativehost.HostName+".json"), nativehost.GeckoID},
		{"native-host"},
	} {
		in := binary.NativeEndian.AppendUint32(nil, uint32(len(ping)))
		in = append(in, ping...)
		var out, errOut bytes.Buffer
		if code := run(args, bytes.NewReader(in), &out, &errOut); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errOut.String())
		}
		body, err := nativehost.ReadMessage(&out, nativehost.MaxReply)
		if err != nil {
			t.Fatalf("%q: reading the reply: %v", args, err)
		}
		var rep struct {
			OK      bool   `json:"ok"`
			Type    string `json:"type"`
			Version string `json:"version"`
		}
		if err := json.Unmarshal(body, &rep); err != nil || !rep.OK || rep.Type != "pong" || rep.Version != version {
			t.Errorf("%q: reply %s", args, body)
		}
	}
}

func TestInstallBrowserCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"install-browser", "--user-data-dir", dir}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	raw, err := os.ReadFile(filepath.Join(dir, "NativeMessagingHosts", nativehost.HostName+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || !filepath.IsAbs(m.Path) {
		t.Errorf("manifest %s: path must be absolute", raw)
	}
	if exe, _ := nativehost.Executable(); m.Path != exe {
		t.Errorf("path %q, want this executable %q", m.Path, exe)
	}
	out.Reset()
	run([]string{"help"}, nil, &out, &errOut)
	if !strings.Contains(out.String(), "haul install-browser") {
		t.Error("help does not mention install-browser")
	}
}
