package transfer

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// Over HTTP/2 each lane of Haul's client opens a TCP connection of its
// own, where one transport would multiplex every request onto one: the
// requests of one lane share a connection, those of two lanes do not.
func TestEachLaneOpensItsOwnConnectionOverHTTP2(t *testing.T) {
	srv := testserver.NewH2()
	defer srv.Close()
	srv.Add("/f.bin", testserver.Content(4<<10, 1))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientOptions{CACertFile: ca})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	get := func(lane int) {
		t.Helper()
		req, err := http.NewRequestWithContext(withLane(context.Background(), lane), http.MethodGet, srv.URL("/f.bin"), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatal(err)
		}
		if resp.ProtoMajor != 2 {
			t.Fatalf("answered over %s; want HTTP/2", resp.Proto)
		}
	}
	for _, lane := range []int{0, 0, 1, 1, 2} {
		get(lane)
	}
	reqs := srv.Requests("/f.bin")
	if len(reqs) != 5 {
		t.Fatalf("%d requests recorded; want 5", len(reqs))
	}
	addr := func(i int) string { return reqs[i].RemoteAddr }
	if addr(0) != addr(1) || addr(2) != addr(3) {
		t.Errorf("one lane's requests came over two connections: %s %s, %s %s", addr(0), addr(1), addr(2), addr(3))
	}
	if addr(0) == addr(2) || addr(0) == addr(4) || addr(2) == addr(4) {
		t.Errorf("two lanes shared a connection: lane 0 %s, lane 1 %s, lane 2 %s", addr(0), addr(2), addr(4))
	}
}
