package transfer

import (
	"io"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestClosingTheFirstAnswerStopsItsStallTimer: every read of the first
// answer's body sets its stall timer again; closing the body must stop
// it and end the request's context, or each finished download keeps a
// live timer (and everything it reaches) for the whole stall timeout.
func TestClosingTheFirstAnswerStopsItsStallTimer(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f", testserver.Content(100<<10, 3))
	j := testJob(t, srv.URL("/f"), -1)
	j.env.Stall = time.Hour
	st, err := HTTP{}.Begin(t.Context(), j)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := st.Body.(*cancelOnClose)
	if !ok {
		t.Fatalf("first answer's body is a %T", st.Body)
	}
	st.Alive() // as Copy does on each read
	if _, err := io.Copy(io.Discard, st.Body); err != nil {
		t.Fatal(err)
	}
	st.Alive()
	if err := st.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if body.guard.t.Stop() {
		t.Error("the stall timer was still set after the body was closed")
	}
	if body.rctx.Err() == nil {
		t.Error("the request's context outlived its body")
	}
}
