package transfer

import (
	"bytes"
	"errors"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// maxDirtyForSyncFS is how much data, waiting in memory to be written to
// any disk, still lets files share a flush of their whole file system: a
// syncfs writes everything of that file system first, so with much more
// (someone copying a big file, say) each file flushes itself instead.
const maxDirtyForSyncFS = 64 << 20

// syncFS flushes the whole file system that holds d (syncfs), when it is
// one whose syncfs is known to write everything to its disk and little
// unrelated data waits to be written; otherwise it does nothing and says
// so.
func syncFS(d *openDir) error {
	rc, err := d.dir.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		var st unix.Statfs_t
		if serr = unix.Fstatfs(int(fd), &st); serr != nil {
			return
		}
		if !syncFSFlushes(int64(st.Type)) {
			serr = errors.ErrUnsupported
			return
		}
		if dirty, ok := dirtyBytes(); !ok || dirty > maxDirtyForSyncFS {
			serr = errBusyCache
			return
		}
		serr = unix.Syncfs(int(fd))
	}); err != nil {
		return err
	}
	return serr
}

// syncFSFlushes reports whether a file system of this type (statfs's
// f_type) makes everything written durable on syncfs. Elsewhere — FUSE
// (virtiofs, sshfs, rclone mounts), whose syncfs does nothing unless the
// daemon implements it; network and unusual file systems — every file
// flushes itself.
func syncFSFlushes(fsType int64) bool {
	switch fsType {
	case unix.EXT4_SUPER_MAGIC, // also ext2 and ext3
		unix.XFS_SUPER_MAGIC,
		unix.BTRFS_SUPER_MAGIC,
		unix.F2FS_SUPER_MAGIC:
		return true
	}
	return false
}

// dirtyBytes is the system's data waiting to be written to disk (the
// Dirty line of /proc/meminfo); false if it cannot be read.
func dirtyBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	return meminfoDirty(b)
}

// meminfoDirty reads the Dirty line ("Dirty:   1234 kB") of a
// /proc/meminfo text.
func meminfoDirty(b []byte) (int64, bool) {
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("Dirty:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}
