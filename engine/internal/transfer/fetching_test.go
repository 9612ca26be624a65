package transfer

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// fetchingReporter is a memReporter that also hears when the transfer
// stops needing the network, and looks at that moment.
type fetchingReporter struct {
	memReporter
	env   *Env
	host  string
	part  string
	calls []bool
	// at Fetching(false): was the host's only slot free, and how much of
	// the file was in the .part
	slotFree bool
	partSize int64
}

func (r *fetchingReporter) Fetching(on bool) {
	r.calls = append(r.calls, on)
	if on {
		return
	}
	if s := r.env.Hosts.tryTake(r.host, 0); s != nil {
		r.slotFree = true
		s.release()
	}
	if st, err := os.Stat(r.part); err == nil {
		r.partSize = st.Size()
	}
}

// TestATransferSaysWhenItNoLongerNeedsTheNetwork: a Reporter hears
// Fetching(false) once, after every byte is in the .part and the
// connection's host slot is free, before the file gets its final name.
func TestATransferSaysWhenItNoLongerNeedsTheNetwork(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := make([]byte, 200<<10)
	srv.Add("/f.bin", data)
	client, err := NewClient(ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Client: func() *http.Client { return client }, Hosts: NewHostSlots(1), Global: NewLimits(1, 0),
		MinPiece: 1 << 20, Retries: 1, RetryBase: time.Millisecond, RetryMax: time.Millisecond, Stall: time.Minute, Checkpoint: time.Hour}
	u, _ := url.Parse(srv.URL("/f.bin"))
	dir := t.TempDir()
	rep := &fetchingReporter{memReporter: memReporter{names: map[string]bool{}}, env: env, host: u.Host,
		part: filepath.Join(dir, "f.bin"+PartSuffix)}
	res, err := Run(context.Background(), env, Spec{URL: u, Dir: dir}, HTTP{}, rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.calls) != 1 || rep.calls[0] {
		t.Fatalf("Fetching calls %v, want one false", rep.calls)
	}
	if !rep.slotFree {
		t.Error("the host slot was still held when the transfer said it no longer needs the network")
	}
	if rep.partSize != int64(len(data)) {
		t.Errorf("the .part held %d bytes when the transfer said the data is all in; want %d", rep.partSize, len(data))
	}
	if res.Name != "f.bin" {
		t.Errorf("placed as %q", res.Name)
	}
}
