package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// This file puts a finished .part file under its final name without ever
// replacing a file that is there, on every kind of folder.

// place moves NAME.part to NAME, or to a free "NAME (n)" if something
// appeared at NAME meanwhile (see moveNoReplace).
func (j *Job) place(name string, pieces []Piece) (string, error) {
	dir := j.spec.Dir
	part := name + PartSuffix
	for range 100 {
		j.placing(name, pieces)
		j.hook("placing")
		err := moveNoReplace(j.folderHandle(), part, name)
		if err == nil {
			j.hook("placed")
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("moving %s into place: %w", part, err)
		}
		// Unique skips names whose .part exists, which includes ours:
		// rename our .part to the new name's first.
		next, err := j.reserveName(name)
		if err != nil {
			return "", fmt.Errorf("choosing a free file name: %w", err)
		}
		if err := j.root.Rename(part, next+PartSuffix); err != nil {
			j.rep.Release(dir, next)
			return "", fmt.Errorf("renaming %s: %w", part, err)
		}
		j.rep.Release(dir, name)
		j.mu.Lock()
		j.name = next
		j.mu.Unlock()
		name, part = next, next+PartSuffix
	}
	return "", errors.New("could not find a free file name")
}

// moveNoReplace renames from to to in folder d, failing with
// fs.ErrExist, and changing nothing, when anything is at to. It uses
// the first way the folder's file system has: an atomic rename that
// refuses to replace (renameat2 RENAME_NOREPLACE, Linux), a hard link
// then an unlink (most file systems), or else — vfat, exFAT, many SMB
// shares — an empty file created exclusively at to, which only then the
// rename replaces: something that appears at to meanwhile makes the
// create fail, so it is never replaced.
func moveNoReplace(d *openDir, from, to string) error {
	err := renameNoReplace(d, from, to)
	if !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err = linkThenRemove(d, from, to); !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return placeholderThenRename(d, from, to)
}

// linkThenRemove hard-links from to to, then removes from. It fails with
// errors.ErrUnsupported where the file system has no hard links.
func linkThenRemove(d *openDir, from, to string) error {
	err := d.root.Link(from, to)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return err
	case errors.Is(err, syscall.EPERM), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.EXDEV),
		errors.Is(err, syscall.EMLINK), errors.Is(err, syscall.ENOSYS):
		return fmt.Errorf("linking %s: %w (%w)", from, errors.ErrUnsupported, err)
	default:
		return fmt.Errorf("linking %s: %w", from, err)
	}
	if err := d.root.Remove(from); err != nil {
		return fmt.Errorf("removing %s: %w", from, err)
	}
	return nil
}

// placeholderThenRename takes the name to with an empty file created
// exclusively, then renames from over that placeholder.
func placeholderThenRename(d *openDir, from, to string) error {
	f, err := d.root.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("taking the name %s: %w", to, err)
	}
	f.Close()
	if err := d.root.Rename(from, to); err != nil {
		_ = d.root.Remove(to) // our empty placeholder
		return fmt.Errorf("renaming %s: %w", from, err)
	}
	return nil
}
