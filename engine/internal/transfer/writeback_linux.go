//go:build linux

package transfer

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts writing every dirty page of f to disk without
// waiting for it (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE): the
// whole file, pages already being written are skipped). The call goes
// through f's SyscallConn, so a file closed meanwhile gets nothing rather
// than a reused descriptor. Errors are ignored: it is only a hint.
func startWriteback(f *os.File) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.SyncFileRange(int(fd), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
	})
}
