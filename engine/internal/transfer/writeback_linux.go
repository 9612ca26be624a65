//go:build linux && (amd64 || arm64)

package transfer

import (
	"os"
	"syscall"
)

// startWriteback asks the kernel to start writing [off, off+n) of f to
// disk now, without waiting (sync_file_range with SYNC_FILE_RANGE_WRITE).
// It is only a hint that spreads the disk's work over the download: the
// checkpoints and the completion still flush with fsync before they claim
// anything. Files that are not *os.File (tests' wrappers) are left alone.
func startWriteback(f File, off, n int64) {
	of, ok := f.(*os.File)
	if !ok {
		return
	}
	rc, err := of.SyscallConn()
	if err != nil {
		return
	}
	const syncFileRangeWrite = 2
	_ = rc.Control(func(fd uintptr) {
		_, _, _ = syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, fd, uintptr(off), uintptr(n), syncFileRangeWrite, 0, 0)
	})
}
