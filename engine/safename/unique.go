package safename

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// maxTries bounds the search for a free name in Unique.
const maxTries = 10000

// partSuffix is the extension of a download in progress. Unique treats
// "NAME.part" as occupying "NAME".
const partSuffix = ".part"

// ErrNoFreeName is returned by Unique when every candidate is taken.
var ErrNoFreeName = errors.New("safename: no free file name")

// Unique returns name, or "name (1).ext", "name (2).ext", ...: the first
// candidate such that neither it nor candidate+".part" exists in root (a
// dangling symlink counts as existing) and taken(candidate) is false. taken
// lets the caller reserve the names of downloads in flight; it may be nil.
// Double extensions such as ".tar.gz" stay together ("x (1).tar.gz").
//
// name should come from Sanitize or Choose; a name that is not a single
// clean path element is rejected. A result is at most MaxBytes+7 bytes, so
// that it still fits a 255-byte file name with ".part" appended. Unique
// only checks: create the file with O_EXCL to close the race with other
// processes.
func Unique(root *os.Root, name string, taken func(string) bool) (string, error) {
	if name == "" || Sanitize(name) != name {
		return "", fmt.Errorf("safename: unsafe file name %q", Display(name))
	}
	stem, ext := splitExt(name)
	stem = strings.TrimRight(stem, " ")
	for i := range maxTries {
		candidate := name
		if i > 0 {
			suffix := " (" + strconv.Itoa(i) + ")"
			candidate = truncate(stem, MaxBytes-len(ext)) + suffix + ext
		}
		free, err := isFree(root, candidate, taken)
		if err != nil {
			return "", err
		}
		if free {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("%w for %q after %d tries", ErrNoFreeName, Display(name), maxTries)
}

// isFree reports whether candidate is neither reserved by taken nor present
// in root, alone or with the ".part" suffix.
func isFree(root *os.Root, candidate string, taken func(string) bool) (bool, error) {
	if taken != nil && taken(candidate) {
		return false, nil
	}
	for _, p := range []string{candidate, candidate + partSuffix} {
		_, err := root.Lstat(p)
		switch {
		case err == nil:
			return false, nil
		case errors.Is(err, fs.ErrNotExist):
		default:
			return false, fmt.Errorf("safename: checking %q: %w", Display(p), err)
		}
	}
	return true, nil
}
