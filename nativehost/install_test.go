package nativehost

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeHome makes a home folder where Chromium and Firefox have been run
// (their folders exist) but the other browsers have not.
func fakeHome(t *testing.T) (home, cfg string) {
	t.Helper()
	home = t.TempDir()
	cfg = filepath.Join(home, ".config")
	for _, d := range []string{filepath.Join(cfg, "chromium"), filepath.Join(home, ".mozilla")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return home, cfg
}

func readManifest(t *testing.T, path string) hostManifest {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m hostManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func TestInstallWritesPinnedManifestsForTheBrowsersFound(t *testing.T) {
	home, cfg := fakeHome(t)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	exe := "/opt/haul/bin/haul"
	var out, errOut bytes.Buffer
	if code := InstallMain(nil, exe, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	chromium := filepath.Join(cfg, "chromium", "NativeMessagingHosts", HostName+".json")
	m := readManifest(t, chromium)
	if m.Name != HostName || m.Path != exe || m.Type != "stdio" || len(m.AllowedOrigins) != 1 || m.AllowedOrigins[0] != ChromeOrigin || m.AllowedExtensions != nil {
		t.Errorf("Chromium manifest %+v", m)
	}
	firefox := filepath.Join(home, ".mozilla", "native-messaging-hosts", HostName+".json")
	f := readManifest(t, firefox)
	if f.Path != exe || len(f.AllowedExtensions) != 1 || f.AllowedExtensions[0] != GeckoID || f.AllowedOrigins != nil {
		t.Errorf("Firefox manifest %+v", f)
	}
	if _, err := os.Stat(filepath.Join(cfg, "google-chrome")); !os.IsNotExist(err) {
		t.Errorf("a folder was made for Chrome, which is not installed: %v", err)
	}
	if !strings.Contains(out.String(), chromium) || !strings.Contains(out.String(), firefox) {
		t.Errorf("output does not name the files: %s", out.String())
	}

	out.Reset()
	if code := InstallMain([]string{"--remove"}, exe, &out, &errOut); code != 0 {
		t.Fatalf("--remove exit %d: %s", code, errOut.String())
	}
	for _, p := range []string{chromium, firefox} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there after --remove", p)
		}
	}
}

func TestInstallCoversEveryBrowserFolder(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".config")
	targets := Targets(home, cfg)
	for _, tg := range targets {
		if err := os.MkdirAll(tg.Base, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	done, err := Install("/usr/bin/haul", targets)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(cfg, "chromium/NativeMessagingHosts", HostName+".json"),
		filepath.Join(cfg, "google-chrome/NativeMessagingHosts", HostName+".json"),
		filepath.Join(cfg, "BraveSoftware/Brave-Browser/NativeMessagingHosts", HostName+".json"),
		filepath.Join(cfg, "microsoft-edge/NativeMessagingHosts", HostName+".json"),
		filepath.Join(home, ".mozilla/native-messaging-hosts", HostName+".json"),
	}
	if strings.Join(done, "\n") != strings.Join(want, "\n") {
		t.Errorf("wrote\n%s\nwant\n%s", strings.Join(done, "\n"), strings.Join(want, "\n"))
	}
}

func TestInstallForAUserDataDir(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := InstallMain([]string{"--user-data-dir", dir}, "/usr/bin/haul", &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	p := filepath.Join(dir, "NativeMessagingHosts", HostName+".json")
	if m := readManifest(t, p); m.AllowedOrigins[0] != ChromeOrigin || m.Path != "/usr/bin/haul" {
		t.Errorf("manifest %+v", m)
	}
	if code := InstallMain([]string{"--user-data-dir", dir, "--remove"}, "/usr/bin/haul", &out, &errOut); code != 0 {
		t.Fatalf("--remove exit %d", code)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("%s still there", p)
	}
}

func TestInstallWithNoBrowserSaysSo(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	var out, errOut bytes.Buffer
	if code := InstallMain(nil, "/usr/bin/haul", &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--user-data-dir") {
		t.Fatalf("exit %d, %q", code, errOut.String())
	}
	if code := InstallMain([]string{"extra"}, "/usr/bin/haul", &out, &errOut); code != 2 {
		t.Errorf("an extra argument: exit %d", code)
	}
	if _, err := Install("haul", Targets(home, home)); err == nil {
		t.Error("a relative host path was accepted")
	}
}
