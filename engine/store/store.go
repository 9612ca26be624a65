// Package store keeps the engine's download list on disk in a single
// bbolt file. Values are opaque bytes and keys are download IDs; the order
// in which IDs were first stored is preserved.
//
// Only one Store may have a folder open at a time, across processes: a
// second Open fails with ErrLocked. A file that cannot be read as a store is
// moved aside (never deleted) and replaced by an empty one; Notice says so.
package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the store file inside the state folder.
const FileName = "haul.db"

// formatVersion is the layout written by this code. A file with a higher
// version was written by a newer Haul and is refused, not moved aside.
const formatVersion = 1

// lockTimeout is how long Open waits for another holder to let go.
const lockTimeout = 200 * time.Millisecond

var (
	bucketItems = []byte("downloads")
	bucketMeta  = []byte("meta")
	keyFormat   = []byte("format")
)

// ErrLocked is matched (errors.Is) by the error Open returns when another
// Store, in this process or another, has the folder open. That error's
// text names the folder.
var ErrLocked = errors.New("the download list is in use by another Haul")

// lockedError names the locked folder and matches ErrLocked.
type lockedError struct{ dir string }

func (e *lockedError) Error() string {
	return "the download list in " + e.dir + " is in use by another Haul"
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// ErrNewerFormat is returned (wrapped) by Open when the file was written by
// a newer version of Haul. The file is left untouched.
var ErrNewerFormat = errors.New("the download list was saved by a newer Haul")

// Entry is one stored value.
type Entry struct {
	ID   string // the key given to Put
	Data []byte // a copy of the stored value
}

// Store is an open state file. Its methods are safe for concurrent use.
type Store struct {
	db     *bolt.DB
	notice string
}

// Open opens (creating if needed) the store in dir. The folder is created
// with mode 0700 and the file with 0600.
//
// If another Store holds the folder, Open returns, within about 200ms, an
// error that matches ErrLocked (errors.Is) and names the folder. If the file is not a readable store, it is
// renamed to haul.db.corrupt-<timestamp> next to it, a fresh store is
// created, and Notice describes what happened.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)

	db, err := openChecked(path)
	if err == nil {
		return &Store{db: db}, nil
	}
	if !isCorruption(err) {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, &lockedError{dir: dir}
		}
		return nil, fmt.Errorf("open download list %s: %w", path, err)
	}

	aside, mvErr := moveAside(path)
	if mvErr != nil {
		return nil, fmt.Errorf("download list %s is unreadable (%v) and could not be moved aside: %w", path, err, mvErr)
	}
	db, err2 := openChecked(path)
	if err2 != nil {
		if errors.Is(err2, berrors.ErrTimeout) {
			return nil, &lockedError{dir: dir}
		}
		return nil, fmt.Errorf("create a new download list %s after moving the unreadable one to %s: %w", path, aside, err2)
	}
	return &Store{
		db: db,
		notice: fmt.Sprintf("The saved download list could not be read (%v). "+
			"It was moved to %s and a new, empty list was started.", err, aside),
	}, nil
}

// Notice returns a message for the user when Open had to replace an
// unreadable file, naming where the old file went; otherwise "".
func (s *Store) Notice() string { return s.notice }

// Put stores all items in one durable transaction. An ID seen for the
// first time is placed after every stored ID (several new IDs in one call
// are placed in ascending ID order); an existing ID keeps its place.
func (s *Store) Put(items map[string][]byte) error {
	ids := make([]string, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		if b == nil {
			return errors.New("downloads bucket missing")
		}
		for _, id := range ids {
			key := []byte(id)
			var seq uint64
			if old := b.Get(key); len(old) >= 8 {
				seq = binary.BigEndian.Uint64(old)
			} else {
				var err error
				if seq, err = b.NextSequence(); err != nil {
					return fmt.Errorf("next sequence: %w", err)
				}
			}
			v := make([]byte, 8+len(items[id]))
			binary.BigEndian.PutUint64(v, seq)
			copy(v[8:], items[id])
			if err := b.Put(key, v); err != nil {
				return fmt.Errorf("put %q: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save download list: %w", err)
	}
	return nil
}

// Delete removes the given IDs in one durable transaction. Unknown IDs are
// ignored.
func (s *Store) Delete(ids ...string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		if b == nil {
			return errors.New("downloads bucket missing")
		}
		for _, id := range ids {
			if id == "" {
				continue
			}
			if err := b.Delete([]byte(id)); err != nil {
				return fmt.Errorf("delete %q: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete from download list: %w", err)
	}
	return nil
}

// Load returns every entry in the order the IDs were first stored.
func (s *Store) Load() ([]Entry, error) {
	type seqEntry struct {
		seq uint64
		e   Entry
	}
	var all []seqEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		if b == nil {
			return errors.New("downloads bucket missing")
		}
		return b.ForEach(func(k, v []byte) error {
			if len(v) < 8 {
				return fmt.Errorf("entry %q is malformed", k)
			}
			all = append(all, seqEntry{
				seq: binary.BigEndian.Uint64(v),
				e:   Entry{ID: string(k), Data: bytes.Clone(v[8:])},
			})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load download list: %w", err)
	}
	slices.SortFunc(all, func(a, b seqEntry) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	out := make([]Entry, len(all))
	for i, se := range all {
		out[i] = se.e
	}
	return out, nil
}

// Close releases the file and its lock. Calling it again is harmless.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close download list: %w", err)
	}
	return nil
}

// GetMeta returns the value stored under key beside the downloads (such
// as the schedule), or nil when there is none.
func (s *Store) GetMeta(key string) ([]byte, error) {
	if key == string(keyFormat) {
		return nil, fmt.Errorf("read %q: the key is the store's own", key)
	}
	var v []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return errors.New("meta bucket missing")
		}
		v = bytes.Clone(b.Get([]byte(key)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %q from the download list: %w", key, err)
	}
	return v, nil
}

// PutMeta stores value under key beside the downloads, in one commit.
func (s *Store) PutMeta(key string, value []byte) error {
	if key == string(keyFormat) {
		return fmt.Errorf("write %q: the key is the store's own", key)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return errors.New("meta bucket missing")
		}
		return b.Put([]byte(key), value)
	})
	if err != nil {
		return fmt.Errorf("write %q to the download list: %w", key, err)
	}
	return nil
}
