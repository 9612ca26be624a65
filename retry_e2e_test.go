package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestHaulGetRetriesKeepTheirBytes runs `haul get` against a server that
// drops the connection three times, with one and with eight connections:
// each retry asks only for what is not written yet, so the server sends
// the file once, plus at most one read (256 KiB) per connection that a
// tail taken over by another connection may leave behind.
func TestHaulGetRetriesKeepTheirBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs haul get, which waits about a second before each retry; skipped in -short mode")
	}
	const size = 16 << 20
	data := testserver.Content(size, 17)
	for _, conns := range []int{1, 8} {
		t.Run(fmt.Sprintf("%d connections", conns), func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/big.bin", data, testserver.ResetLonger(512<<10, 3), testserver.Throttle(4<<20)) // per connection
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd, stdout, stderr := haulCmd(t, ctx, "get", "-d", out, "--state", filepath.Join(dir, "state"),
				"-x", fmt.Sprint(conns), srv.URL("/big.bin"))
			if err := cmd.Run(); err != nil {
				t.Fatalf("haul get: %v\n%s%s", err, stdout, stderr)
			}
			got, err := os.ReadFile(filepath.Join(out, "big.bin"))
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("big.bin: %d bytes, equal %v (%v)", len(got), bytes.Equal(got, data), err)
			}
			st := srv.Stats("/big.bin")
			t.Logf("%d connections, 3 drops: the server sent %d bytes for a %d-byte file (%.3f×) in %d requests, %d of them cut",
				conns, st.BytesSent, size, float64(st.BytesSent)/size, st.Requests, st.Resets)
			if st.Resets != 3 {
				var asked []string
				for _, r := range srv.Requests("/big.bin") {
					asked = append(asked, fmt.Sprintf("%s %d", r.Range, r.Status))
				}
				t.Errorf("%d connections were dropped, want 3; requests: %s", st.Resets, strings.Join(asked, ", "))
			}
			if limit := int64(size + conns*256<<10); st.BytesSent > limit {
				t.Errorf("the server sent %d bytes, more than %d", st.BytesSent, limit)
			}
		})
	}
}
