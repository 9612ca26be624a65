package engine

import (
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// The connections the ramp sheds finish the request they sent rather
// than being cut: the server, which writes ahead into the socket's
// buffers faster than the speed limit reads, sends each byte of the file
// once (at most 1.02× its size), as it would over a far link, where a
// cut answer costs a bandwidth-delay product.
func TestShedConnectionsCostTheServerNoBytes(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(3 << 20)
	srv.Add("/big.bin", data)
	e := newEnv(t, func(o *Options) { o.Connections = 4; o.RateLimit = 1 << 20 })
	id := e.add(srv.URL("/big.bin"))
	e.waitFor(id, "extra connections", func(s Snapshot) bool { return s.Conns > 1 || s.State != Active })
	e.waitFor(id, "back to one connection", func(s Snapshot) bool { return s.Conns == 1 || s.State != Active })
	e.mustComplete(id, data)
	st := srv.Stats("/big.bin")
	if st.RangeRequests < 2 {
		t.Fatalf("%d range requests: no extra connection was opened", st.RangeRequests)
	}
	size := int64(len(data))
	t.Logf("the server sent %d bytes for a file of %d (%.3f×) in %d requests", st.BytesSent, size, float64(st.BytesSent)/float64(size), st.Requests)
	if limit := size * 102 / 100; st.BytesSent > limit {
		var asked []string
		for _, r := range srv.Requests("/big.bin") {
			asked = append(asked, r.Range)
		}
		t.Errorf("the server sent %d bytes for a file of %d (at most %d): ranges asked %v", st.BytesSent, size, limit, asked)
	}
}
