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
