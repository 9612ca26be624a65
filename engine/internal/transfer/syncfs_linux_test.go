package transfer

import "testing"

func TestMeminfoDirtyReadsTheDirtyLine(t *testing.T) {
	in := "MemTotal:       24683580 kB\nDirty:              1234 kB\nWriteback:             0 kB\n"
	if got, ok := meminfoDirty([]byte(in)); !ok || got != 1234<<10 {
		t.Errorf("Dirty = %d, %v; want %d", got, ok, 1234<<10)
	}
	for _, bad := range []string{"MemTotal: 1 kB\n", "Dirty: lots kB\n", "Dirty: 12\n", ""} {
		if _, ok := meminfoDirty([]byte(bad)); ok {
			t.Errorf("%q: read a Dirty figure from it", bad)
		}
	}
}

// Only file systems whose syncfs is known to write everything share a
// flush; FUSE (whose syncfs may do nothing) and others never do.
func TestOnlyKnownFileSystemsShareAFlush(t *testing.T) {
	for _, c := range []struct {
		name  string
		magic int64
		want  bool
	}{
		{"ext4", 0xef53, true}, {"xfs", 0x58465342, true}, {"btrfs", 0x9123683e, true},
		{"fuse", 0x65735546, false}, {"nfs", 0x6969, false}, {"tmpfs", 0x01021994, false},
	} {
		if got := syncFSFlushes(c.magic); got != c.want {
			t.Errorf("%s: shares a flush %v, want %v", c.name, got, c.want)
		}
	}
}
