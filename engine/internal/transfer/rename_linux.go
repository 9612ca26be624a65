package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames from to to in folder d with renameat2
// (RENAME_NOREPLACE): atomic, and failing with fs.ErrExist when
// anything is at to. It returns errors.ErrUnsupported where the kernel
// or the file system does not have it (EINVAL, ENOSYS: FUSE, older
// kernels).
func renameNoReplace(d *openDir, from, to string) error {
	if strings.ContainsRune(from, '/') || strings.ContainsRune(to, '/') {
		return errors.ErrUnsupported // only plain names in the folder itself
	}
	rc, err := d.dir.SyscallConn()
	if err != nil {
		return errors.ErrUnsupported
	}
	var rerr error
	if err := rc.Control(func(fd uintptr) {
		for {
			rerr = unix.Renameat2(int(fd), from, int(fd), to, unix.RENAME_NOREPLACE)
			if rerr != unix.EINTR {
				return
			}
		}
	}); err != nil {
		return errors.ErrUnsupported
	}
	switch {
	case rerr == nil:
		return nil
	case rerr == unix.EEXIST:
		return fmt.Errorf("renaming %s: %w", from, fs.ErrExist)
	case rerr == unix.EINVAL, rerr == unix.ENOSYS:
		return errors.ErrUnsupported
	}
	return fmt.Errorf("renaming %s: %w", from, rerr)
}
