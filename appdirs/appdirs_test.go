package appdirs

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func skipUnlessXDG(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "plan9" {
		t.Skip("XDG user dirs are a Linux/BSD convention")
	}
}

// setHome gives the test a fresh home folder and no XDG variables.
func setHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	return home
}

func writeUserDirs(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "user-dirs.dirs"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadsDefaultsToHomeDownloads(t *testing.T) {
	home := setHome(t)
	got, err := Downloads()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "Downloads"); got != want {
		t.Fatalf("Downloads() = %q, want %q", got, want)
	}
}

func TestDownloadsFromUserDirsFile(t *testing.T) {
	skipUnlessXDG(t)
	home := setHome(t)
	writeUserDirs(t, filepath.Join(home, ".config"), `# written by xdg-user-dirs-update
XDG_DESKTOP_DIR="$HOME/Desktop"
XDG_DOWNLOAD_DIR="$HOME/Téléchargements"
XDG_MUSIC_DIR="$HOME/Music"
`)
	got, err := Downloads()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "Téléchargements"); got != want {
		t.Fatalf("Downloads() = %q, want %q", got, want)
	}
}

func TestDownloadsHonoursXDGConfigHome(t *testing.T) {
	skipUnlessXDG(t)
	home := setHome(t)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	writeUserDirs(t, cfg, "XDG_DOWNLOAD_DIR=\"/srv/dl\"\n")
	// A file in the default place must be ignored.
	writeUserDirs(t, filepath.Join(home, ".config"), "XDG_DOWNLOAD_DIR=\"$HOME/wrong\"\n")
	got, err := Downloads()
	if err != nil {
		t.Fatal(err)
	}
	if got != "/srv/dl" {
		t.Fatalf("Downloads() = %q, want /srv/dl", got)
	}
}

func TestDownloadsEnvironmentWins(t *testing.T) {
	skipUnlessXDG(t)
	home := setHome(t)
	writeUserDirs(t, filepath.Join(home, ".config"), "XDG_DOWNLOAD_DIR=\"$HOME/FromFile\"\n")
	t.Setenv("XDG_DOWNLOAD_DIR", "${HOME}/FromEnv")
	got, err := Downloads()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "FromEnv"); got != want {
		t.Fatalf("Downloads() = %q, want %q", got, want)
	}
}

func TestDownloadsIgnoresBadEntries(t *testing.T) {
	skipUnlessXDG(t)
	for name, content := range map[string]string{
		"relative path": "XDG_DOWNLOAD_DIR=\"Downloads/here\"\n",
		"not set":       "XDG_MUSIC_DIR=\"$HOME/Music\"\n",
		"empty":         "",
		"other var":     "MY_XDG_DOWNLOAD_DIR=\"/elsewhere\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			home := setHome(t)
			t.Setenv("XDG_DOWNLOAD_DIR", "relative/too")
			writeUserDirs(t, filepath.Join(home, ".config"), content)
			got, err := Downloads()
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(home, "Downloads"); got != want {
				t.Fatalf("Downloads() = %q, want %q", got, want)
			}
		})
	}
}

func TestState(t *testing.T) {
	setHome(t)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("APPDATA", cfg)
	got, err := State()
	if err != nil {
		t.Fatal(err)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(base, "haul"); got != want {
		t.Fatalf("State() = %q, want %q", got, want)
	}
	if runtime.GOOS == "linux" && got != filepath.Join(cfg, "haul") {
		t.Fatalf("State() = %q, want it under XDG_CONFIG_HOME %q", got, cfg)
	}
}

func TestStateWithoutHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("how the config folder is found without HOME differs by system")
	}
	t.Setenv("HOME", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	if got, err := State(); err == nil {
		t.Fatalf("State() = %q with no HOME, want an error", got)
	}
}
