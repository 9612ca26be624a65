// Package boxes keeps the user's remote downloaders (aria2 boxes): their
// names, URLs and extra CAs in remotes.json in Haul's configuration
// folder, and their secrets apart, in the desktop's secret store or, where
// there is none, in a file only the user can read. A secret is never in
// remotes.json, the download list or a log.
package boxes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/haul-dl/haul/remote/aria2"
)

// FileName is the file, in Haul's configuration folder, that lists the boxes.
const FileName = "remotes.json"

// Box is one remote downloader as the user named it.
type Box struct {
	Name       string `json:"name"`
	URL        string `json:"url"`
	CACertFile string `json:"ca_cert_file,omitempty"`
}

// NotFoundError says no box has this name, and which ones exist.
type NotFoundError struct {
	Name  string
	Known []string
}

func (e *NotFoundError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no remote downloader is named %q: none is set up (add one in the window's Settings, Remote downloaders)", e.Name)
	}
	return fmt.Sprintf("no remote downloader is named %q (there are: %s)", e.Name, strings.Join(e.Known, ", "))
}

// Store reads and writes the boxes of one configuration folder.
type Store struct {
	dir     string
	secrets Secrets
	mu      sync.Mutex // orders writes of remotes.json within the process
}

// Open returns the store of the folder dir, with its secrets in secrets.
func Open(dir string, secrets Secrets) *Store { return &Store{dir: dir, secrets: secrets} }

// Secrets is where the store keeps secrets.
func (s *Store) Secrets() Secrets { return s.secrets }

func (s *Store) path() string { return filepath.Join(s.dir, FileName) }

// List returns the boxes in the order the user added them.
func (s *Store) List() ([]Box, error) {
	data, err := os.ReadFile(s.path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the remote downloaders: %w", err)
	}
	var boxes []Box
	if err := json.Unmarshal(data, &boxes); err != nil {
		return nil, fmt.Errorf("reading the remote downloaders: %s is not a list of boxes: %w", s.path(), err)
	}
	return boxes, nil
}

// Get returns the box with this name.
func (s *Store) Get(name string) (Box, error) {
	boxes, err := s.List()
	if err != nil {
		return Box{}, err
	}
	var known []string
	for _, b := range boxes {
		if b.Name == name {
			return b, nil
		}
		known = append(known, b.Name)
	}
	return Box{}, &NotFoundError{Name: name, Known: known}
}

// Check says what is wrong with a box's fields, if anything.
func Check(b Box) error {
	if strings.TrimSpace(b.Name) == "" {
		return errors.New("the box needs a name")
	}
	if len(b.Name) > 64 || strings.ContainsAny(b.Name, "\n\r\t") {
		return errors.New("the name must be one line of at most 64 characters")
	}
	if _, err := (aria2.Config{URL: b.URL}).Endpoint(); err != nil {
		return err
	}
	return nil
}

// Put adds the box, or replaces the one of the same name (or of oldName,
// when it is renamed). A non-nil secret is stored too; "" deletes it.
func (s *Store) Put(oldName string, b Box, secret *string) error {
	b.Name = strings.TrimSpace(b.Name)
	b.URL = strings.TrimSpace(b.URL)
	if err := Check(b); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	boxes, err := s.List()
	if err != nil {
		return err
	}
	if oldName == "" {
		oldName = b.Name
	}
	i := slices.IndexFunc(boxes, func(x Box) bool { return x.Name == oldName })
	if j := slices.IndexFunc(boxes, func(x Box) bool { return x.Name == b.Name }); j >= 0 && j != i {
		return fmt.Errorf("a remote downloader named %q exists already", b.Name)
	}
	if i >= 0 {
		boxes[i] = b
	} else {
		boxes = append(boxes, b)
	}
	if err := s.write(boxes); err != nil {
		return err
	}
	if oldName != b.Name {
		if old, err := s.secrets.Get(oldName); err == nil && secret == nil {
			secret = &old
		}
		_ = s.secrets.Delete(oldName)
	}
	if secret != nil {
		if *secret == "" {
			return s.secrets.Delete(b.Name)
		}
		return s.secrets.Set(b.Name, *secret)
	}
	return nil
}

// Remove forgets the box and its secret.
func (s *Store) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	boxes, err := s.List()
	if err != nil {
		return err
	}
	boxes = slices.DeleteFunc(boxes, func(b Box) bool { return b.Name == name })
	if err := s.write(boxes); err != nil {
		return err
	}
	return s.secrets.Delete(name)
}

// Config returns what aria2.Dial needs for the box, its secret included.
func (s *Store) Config(b Box) (aria2.Config, error) {
	secret, err := s.secrets.Get(b.Name)
	if err != nil {
		return aria2.Config{}, fmt.Errorf("the secret of %q: %w", b.Name, err)
	}
	return aria2.Config{URL: b.URL, Secret: secret, CACertFile: b.CACertFile}, nil
}

func (s *Store) write(boxes []Box) error {
	if boxes == nil {
		boxes = []Box{}
	}
	data, err := json.MarshalIndent(boxes, "", "  ")
	if err != nil {
		return fmt.Errorf("saving the remote downloaders: %w", err)
	}
	return writeFile(s.path(), append(data, '\n'))
}

// writeFile replaces path with data, readable only by the user, through a
// temporary file so a crash leaves the old or the new file whole.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	return nil
}
