//go:build !linux

package transfer

import "errors"

// syncFS is not available here: every file flushes itself.
func syncFS(*openDir) error { return errors.ErrUnsupported }
