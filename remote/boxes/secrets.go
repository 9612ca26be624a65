package boxes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"
)

// SecretsFileName is the file, in Haul's configuration folder, that holds
// the secrets where the desktop has no secret store (mode 0600).
const SecretsFileName = "remote-secrets.json"

// keyringService names Haul's entries in the desktop's secret store.
const keyringService = "Haul remote downloader"

// Secrets keeps one secret per box name. Get of a box without one
// returns "" and no error.
type Secrets interface {
	Get(box string) (string, error)
	Set(box, secret string) error
	Delete(box string) error
	// Where says, for Settings, where the secrets are kept.
	Where() string
	// InFile reports whether the secrets are in a file rather than in
	// the desktop's secret store.
	InFile() bool
}

// Keyring keeps secrets in the desktop's secret store (the Secret Service
// API on Linux, the Keychain on macOS, the Credential Manager on Windows).
type Keyring struct{}

// Get implements Secrets.
func (Keyring) Get(box string) (string, error) {
	s, err := keyring.Get(keyringService, box)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the secret store: %w", err)
	}
	return s, nil
}

// Set implements Secrets.
func (Keyring) Set(box, secret string) error {
	if err := keyring.Set(keyringService, box, secret); err != nil {
		return fmt.Errorf("saving to the secret store: %w", err)
	}
	return nil
}

// Delete implements Secrets.
func (Keyring) Delete(box string) error {
	err := keyring.Delete(keyringService, box)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("deleting from the secret store: %w", err)
	}
	return nil
}

// Where implements Secrets.
func (Keyring) Where() string { return "Secrets are kept in the desktop's secret store." }

// InFile implements Secrets.
func (Keyring) InFile() bool { return false }

// File keeps secrets in a JSON file only the user can read (0600), for
// desktops without a secret store.
type File struct {
	Path string
	mu   sync.Mutex
}

func (f *File) read() (map[string]string, error) {
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the secrets file: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("reading the secrets file %s: it is not a map of secrets", f.Path)
	}
	return m, nil
}

func (f *File) update(fn func(map[string]string)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	fn(m)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("saving the secrets file: %w", err)
	}
	return writeFile(f.Path, data)
}

// Get implements Secrets.
func (f *File) Get(box string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	return m[box], err
}

// Set implements Secrets.
func (f *File) Set(box, secret string) error {
	return f.update(func(m map[string]string) { m[box] = secret })
}

// Delete implements Secrets.
func (f *File) Delete(box string) error {
	return f.update(func(m map[string]string) { delete(m, box) })
}

// Where implements Secrets.
func (f *File) Where() string {
	return fmt.Sprintf("No secret store (Secret Service) was found on this desktop, so secrets are kept in %s, "+
		"a file only you can read. Install a secret store (e.g. GNOME Keyring or KeePassXC) to keep them there.", f.Path)
}

// InFile implements Secrets.
func (f *File) InFile() bool { return true }

// probe is the entry looked up to see whether a secret store answers.
const probe = "haul-probe"

// Detect returns the desktop's secret store when one answers, otherwise
// the 0600 file in dir. The check talks to the store (D-Bus on Linux):
// call it once, away from the window's thread.
func Detect(dir string) Secrets {
	if _, err := keyring.Get(keyringService, probe); err == nil || errors.Is(err, keyring.ErrNotFound) {
		return Keyring{}
	}
	return &File{Path: filepath.Join(dir, SecretsFileName)}
}
