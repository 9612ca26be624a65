package store

// The checks that a file is a store Haul can read, and what is done with
// one that is not.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

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
