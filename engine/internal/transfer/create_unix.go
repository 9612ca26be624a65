//go:build unix

package transfer

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// createPart creates name, a new .part file in d, exclusively (it fails
// with fs.ErrExist when anything, a symbolic link included, is at name).
// A plain name is created with openat on the folder's own descriptor and
// wrapped with os.NewFile: what os.Root does for it, without the poller
// registration os.OpenFile tries for every file (three fcntl and a
// failing epoll_ctl for a regular file) and without splitting the path.
// Anything else goes through the Root.
func createPart(d *openDir, name string) (*os.File, error) {
	viaRoot := func() (*os.File, error) { return d.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644) }
	if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') {
		return viaRoot()
	}
	rc, err := d.dir.SyscallConn()
	if err != nil {
		return viaRoot()
	}
	fd := -1
	var oerr error
	if err := rc.Control(func(dirfd uintptr) {
		for {
			fd, oerr = unix.Openat(int(dirfd), name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
			if oerr != unix.EINTR {
				return
			}
		}
	}); err != nil {
		return viaRoot()
	}
	if oerr != nil {
		if oerr == unix.ELOOP { // a dangling symbolic link, on some systems
			oerr = unix.EEXIST
		}
		return nil, &os.PathError{Op: "openat", Path: name, Err: oerr}
	}
	return os.NewFile(uintptr(fd), filepath.Join(d.path, name)), nil
}
