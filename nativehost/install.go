package nativehost

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Target is one place a browser looks for native-messaging host manifests.
type Target struct {
	Browser string // "Chromium", "Firefox", ...
	Dir     string // the NativeMessagingHosts folder
	Firefox bool   // Firefox's manifest form (allowed_extensions)
	// Base is the browser's own folder: a manifest is written only when
	// it exists, so that no folder is made for a browser that is not
	// installed. Empty: always write.
	Base string
}

// Targets returns the per-user folders on Linux of Chromium, Google
// Chrome, Brave, Microsoft Edge and Firefox. configDir is
// $XDG_CONFIG_HOME (or ~/.config), where the Chromium family keeps its
// profiles; Firefox looks in ~/.mozilla.
func Targets(home, configDir string) []Target {
	chromium := func(name string, parts ...string) Target {
		base := filepath.Join(append([]string{configDir}, parts...)...)
		return Target{Browser: name, Base: base, Dir: filepath.Join(base, "NativeMessagingHosts")}
	}
	mozilla := filepath.Join(home, ".mozilla")
	return []Target{
		chromium("Chromium", "chromium"),
		chromium("Google Chrome", "google-chrome"),
		chromium("Brave", "BraveSoftware", "Brave-Browser"),
		chromium("Microsoft Edge", "microsoft-edge"),
		{Browser: "Firefox", Base: mozilla, Dir: filepath.Join(mozilla, "native-messaging-hosts"), Firefox: true},
	}
}

// ProfileTarget is the folder for a Chromium-family browser run with
// --user-data-dir dir.
func ProfileTarget(dir string) Target {
	return Target{Browser: "the profile in " + dir, Dir: filepath.Join(dir, "NativeMessagingHosts")}
}

// hostManifest is the host manifest a browser reads.
type hostManifest struct {
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins,omitempty"`
	AllowedExtensions []string `json:"allowed_extensions,omitempty"`
}

// Manifest returns the host manifest for t, starting exe.
func (t Target) Manifest(exe string) ([]byte, error) {
	m := hostManifest{Name: HostName, Description: "Haul download manager", Path: exe, Type: "stdio"}
	if t.Firefox {
		m.AllowedExtensions = []string{GeckoID}
	} else {
		m.AllowedOrigins = []string{ChromeOrigin}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	return append(b, '\n'), err
}

// Path is where t's manifest goes.
func (t Target) Path() string { return filepath.Join(t.Dir, HostName+".json") }

// present reports whether the browser of t is there to be set up.
func (t Target) present() bool {
	if t.Base == "" {
		return true
	}
	fi, err := os.Stat(t.Base)
	return err == nil && fi.IsDir()
}

// Install writes the host manifest, starting exe (an absolute path), for
// every target whose browser is present, and returns the files written.
func Install(exe string, targets []Target) ([]string, error) {
	if !filepath.IsAbs(exe) {
		return nil, fmt.Errorf("the host's path must be absolute, not %q", exe)
	}
	var done []string
	for _, t := range targets {
		if !t.present() {
			continue
		}
		body, err := t.Manifest(exe)
		if err != nil {
			return done, err
		}
		if err := os.MkdirAll(t.Dir, 0o755); err != nil {
			return done, fmt.Errorf("setting up %s: %w", t.Browser, err)
		}
		if err := writeFileAtomic(t.Path(), body); err != nil {
			return done, fmt.Errorf("setting up %s: %w", t.Browser, err)
		}
		done = append(done, t.Path())
	}
	return done, nil
}

// Remove deletes Haul's host manifest from every target and returns the
// files removed.
func Remove(targets []Target) ([]string, error) {
	var done []string
	for _, t := range targets {
		err := os.Remove(t.Path())
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return done, fmt.Errorf("removing Haul from %s: %w", t.Browser, err)
		}
		done = append(done, t.Path())
	}
	return done, nil
}

func writeFileAtomic(path string, body []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".haul-host-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

const installUsage = `Usage: haul install-browser [--user-data-dir DIR] [--remove]

Registers Haul with the browsers so that Haul's extension can hand it
links and downloads: writes the native-messaging host manifest, pinned to
the extension's ID, for Chromium, Google Chrome, Brave, Microsoft Edge and
Firefox in your user folders (only for the browsers found there), pointing
at this haul executable. Run it again after moving haul.

  --user-data-dir DIR   set up only the Chromium-family profile folder DIR
                        (a browser started with --user-data-dir DIR)
  --remove              remove Haul's manifests instead
`

// InstallMain runs `haul install-browser` with args and returns the exit
// status. exe is the haul executable the manifests point at.
func InstallMain(args []string, exe string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("install-browser", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	userDataDir := fl.String("user-data-dir", "", "")
	remove := fl.Bool("remove", false, "")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, installUsage)
			return 0
		}
		fmt.Fprintf(stderr, "haul install-browser: %v\n%s", err, installUsage)
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "haul install-browser: unexpected %q\n%s", fl.Arg(0), installUsage)
		return 2
	}
	var targets []Target
	if *userDataDir != "" {
		dir, err := filepath.Abs(*userDataDir)
		if err != nil {
			fmt.Fprintf(stderr, "haul install-browser: %v\n", err)
			return 1
		}
		targets = []Target{ProfileTarget(dir)}
	} else {
		home, err := os.UserHomeDir()
		if err != nil {
			fmt.Fprintf(stderr, "haul install-browser: %v\n", err)
			return 1
		}
		cfg, err := os.UserConfigDir()
		if err != nil {
			fmt.Fprintf(stderr, "haul install-browser: %v\n", err)
			return 1
		}
		targets = Targets(home, cfg)
	}
	if *remove {
		done, err := Remove(targets)
		for _, p := range done {
			fmt.Fprintf(stdout, "removed %s\n", p)
		}
		if err != nil {
			fmt.Fprintf(stderr, "haul install-browser: %v\n", err)
			return 1
		}
		if len(done) == 0 {
			fmt.Fprintln(stdout, "Haul was not registered with any browser here.")
		}
		return 0
	}
	done, err := Install(exe, targets)
	for _, p := range done {
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "haul install-browser: %v\n", err)
		return 1
	}
	if len(done) == 0 {
		names := make([]string, len(targets))
		for i, t := range targets {
			names[i] = t.Browser
		}
		fmt.Fprintf(stderr, "haul install-browser: found none of %s in your user folders; start the browser once, or use --user-data-dir DIR\n", strings.Join(names, ", "))
		return 1
	}
	fmt.Fprintf(stdout, "Haul's extension (ID %s, Firefox %s) can now reach %s\n", ExtensionID, GeckoID, exe)
	return 0
}
