package engine

import (
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestDetailsShowValidatorsAndTheRangesOnDisk(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(1<<20, 7)
	release := make(chan struct{})
	srv.Add("/half.bin", body, testserver.ETag(`"v1"`), testserver.Hold(512<<10, release))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	id := e.add(srv.URL("/half.bin"))
	// Held at half the file: the checkpoint saves what is on disk.
	det := func() Details {
		d, ok := e.m.Details(id)
		if !ok {
			t.Fatal("no details")
		}
		return d
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		d := det()
		if len(d.Have) == 1 && d.Have[0] == (ByteRange{0, 512 << 10}) {
			if d.ETag != `"v1"` || !d.Ranges || d.Total != 1<<20 {
				t.Errorf("details: ETag %q ranges %v total %d", d.ETag, d.Ranges, d.Total)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ranges on disk never showed the first half: %+v", d.Have)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	e.mustComplete(id, body)
	if d := det(); len(d.Have) != 1 || d.Have[0] != (ByteRange{0, 1 << 20}) || d.Verified {
		t.Errorf("completed without a checksum: have %+v, verified %v", d.Have, d.Verified)
	}
}
