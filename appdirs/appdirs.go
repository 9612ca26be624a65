// Package appdirs finds the folders Haul uses by default: the user's
// Downloads folder and the folder where Haul keeps its download list.
package appdirs

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Downloads returns the user's Downloads folder. On Linux and the BSDs it
// honours XDG_DOWNLOAD_DIR, from the environment or from
// $XDG_CONFIG_HOME/user-dirs.dirs (as written by xdg-user-dirs); otherwise,
// and on Windows and macOS, it is the Downloads folder in the home folder.
// The folder may not exist yet.
func Downloads() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the Downloads folder: %w", err)
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := expandHome(os.Getenv("XDG_DOWNLOAD_DIR"), home); d != "" {
			return d, nil
		}
		if d, err := fromUserDirs(home); err == nil && d != "" {
			return d, nil
		}
	}
	return filepath.Join(home, "Downloads"), nil
}

// State returns the folder where Haul keeps its download list and resume
// state: "haul" in the user's configuration folder (os.UserConfigDir).
func State() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration folder: %w", err)
	}
	return filepath.Join(dir, "haul"), nil
}

// fromUserDirs reads XDG_DOWNLOAD_DIR from user-dirs.dirs. It returns ""
// when the file does not set it.
func fromUserDirs(home string) (string, error) {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(cfg) {
		cfg = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.TrimSpace(key) != "XDG_DOWNLOAD_DIR" {
			continue
		}
		return expandHome(unquote(strings.TrimSpace(val)), home), nil
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("reading user-dirs.dirs: %w", err)
	}
	return "", errors.New("user-dirs.dirs does not set XDG_DOWNLOAD_DIR")
}

// unquote removes the double quotes around a shell-style value.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// expandHome resolves "$HOME/x" and "${HOME}/x" (the only forms
// user-dirs.dirs allows besides absolute paths). A relative path, which
// the format forbids, is refused with "".
func expandHome(s, home string) string {
	switch {
	case s == "$HOME" || s == "${HOME}":
		return home
	case strings.HasPrefix(s, "$HOME/"):
		s = filepath.Join(home, s[len("$HOME/"):])
	case strings.HasPrefix(s, "${HOME}/"):
		s = filepath.Join(home, s[len("${HOME}/"):])
	}
	if !filepath.IsAbs(s) {
		return ""
	}
	return filepath.Clean(s)
}
