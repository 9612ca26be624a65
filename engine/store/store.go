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
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"syscall"
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

// corruptError marks a failure that means the file's content is bad, as
// opposed to the file being locked or inaccessible.
type corruptError struct{ err error }

func (e *corruptError) Error() string { return e.err.Error() }
func (e *corruptError) Unwrap() error { return e.err }

func corrupt(format string, a ...any) error {
	return &corruptError{fmt.Errorf(format, a...)}
}

func isCorruption(err error) bool {
	var ce *corruptError
	return errors.As(err, &ce)
}

// openChecked opens path with bbolt, verifies the file and its layout, and
// initialises an empty file. Errors that mean the content is bad are
// *corruptError; lock and OS errors are returned as they are.
func openChecked(path string) (db *bolt.DB, err error) {
	db, err = guardedOpen(path)
	if err != nil {
		return nil, err
	}
	if err := verify(db); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := initLayout(db); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// guardedOpen calls bolt.Open, turning panics and memory faults caused by a
// damaged file into corruption errors. (After such a panic bbolt leaves its
// descriptor open; that only pins the old file, which is then moved aside.)
func guardedOpen(path string) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, corrupt("damaged file: %v", r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if err == nil {
		return db, nil
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, err
	}
	var pe *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pe) || errors.As(err, &errno) {
		// Could not open, stat, lock or map the file: not a content problem.
		return nil, err
	}
	// ErrInvalid, ErrChecksum, ErrVersionMismatch, mmap size errors...
	return nil, corrupt("%v", err)
}

// verify checks the file's structure from its bytes (see checkFile), then
// reads every key and value through bbolt and checks Haul's layout. Any
// panic or memory fault that damage still causes is recovered here.
func verify(db *bolt.DB) (err error) {
	if err := checkFile(db.Path(), db.Info().PageSize); err != nil {
		return err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = corrupt("damaged file: %v", r)
		}
	}()
	return db.View(func(tx *bolt.Tx) error {
		if err := walk(tx.Cursor(), tx.Bucket); err != nil {
			return err
		}
		return checkLayout(tx)
	})
}

// walk reads every key and value of every bucket below c, and so every
// page of the tree. bucket opens a nested bucket by name.
func walk(c *bolt.Cursor, bucket func([]byte) *bolt.Bucket) error {
	for k, v := c.First(); k != nil; k, v = c.Next() {
		// Read every byte: a damaged element can point outside the file,
		// and the fault must happen here, not later in Load.
		_ = crc32.Update(crc32.ChecksumIEEE(k), crc32.IEEETable, v)
		if v != nil {
			continue
		}
		b := bucket(k)
		if b == nil {
			return corrupt("bucket %q cannot be opened", k)
		}
		if err := walk(b.Cursor(), b.Bucket); err != nil {
			return err
		}
	}
	return nil
}

// checkLayout verifies the bucket structure. An empty file (no buckets at
// all) is fine: initLayout fills it.
func checkLayout(tx *bolt.Tx) error {
	c := tx.Cursor()
	k, _ := c.First()
	if k == nil {
		return nil
	}
	for ; k != nil; k, _ = c.Next() {
		if !bytes.Equal(k, bucketItems) && !bytes.Equal(k, bucketMeta) {
			return corrupt("unexpected top-level key %q", k)
		}
	}
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return corrupt("no meta bucket")
	}
	v := meta.Get(keyFormat)
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return corrupt("bad format version %q", v)
	}
	if n > formatVersion {
		return fmt.Errorf("format version %d (this Haul reads %d): %w", n, formatVersion, ErrNewerFormat)
	}
	items := tx.Bucket(bucketItems)
	if items == nil {
		return corrupt("no downloads bucket")
	}
	seen := make(map[uint64]bool)
	var maxSeq uint64
	err = items.ForEach(func(k, v []byte) error {
		if v == nil {
			return corrupt("entry %q is a bucket", k)
		}
		if len(v) < 8 {
			return corrupt("entry %q is too short", k)
		}
		seq := binary.BigEndian.Uint64(v)
		if seq == 0 || seen[seq] {
			return corrupt("entry %q has a bad sequence number %d", k, seq)
		}
		seen[seq] = true
		maxSeq = max(maxSeq, seq)
		return nil
	})
	if err != nil {
		return err
	}
	if maxSeq > items.Sequence() {
		return corrupt("sequence counter %d is behind entry %d", items.Sequence(), maxSeq)
	}
	return nil
}

// initLayout creates the buckets and format marker in an empty file.
func initLayout(db *bolt.DB) error {
	err := db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) != nil {
			return nil
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keyFormat, []byte(strconv.Itoa(formatVersion))); err != nil {
			return err
		}
		_, err = tx.CreateBucket(bucketItems)
		return err
	})
	if err != nil {
		return fmt.Errorf("initialise download list: %w", err)
	}
	return nil
}

// moveAside renames path to path.corrupt-<timestamp>, adding a counter if
// that name is taken, and returns the new name.
func moveAside(path string) (string, error) {
	base := path + ".corrupt-" + time.Now().Format("20060102-150405")
	for i := 0; i < 100; i++ {
		dst := base
		if i > 0 {
			dst = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(dst); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("check %s: %w", dst, err)
		}
		if err := os.Rename(path, dst); err != nil {
			return "", fmt.Errorf("rename to %s: %w", dst, err)
		}
		return dst, nil
	}
	return "", fmt.Errorf("too many corrupt copies next to %s", path)
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
