//go:build !linux

package transfer

import "errors"

// renameNoReplace is Linux's renameat2; elsewhere the other ways of
// moveNoReplace are used.
func renameNoReplace(*openDir, string, string) error { return errors.ErrUnsupported }
