package transfer

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// nopReporter reserves every name and records nothing.
type nopReporter struct{}

func (nopReporter) Progress(int64)              {}
func (nopReporter) Connections(int)             {}
func (nopReporter) Learned(string, Resume)      {}
func (nopReporter) Checkpoint([]Piece, []byte)  {}
func (nopReporter) Retrying(*RetryInfo)         {}
func (nopReporter) Taken(string, string) bool   { return false }
func (nopReporter) Reserve(string, string) bool { return true }
func (nopReporter) Release(string, string)      {}
func (nopReporter) Segments(int, int, int64)    {}
func (nopReporter) Stream(string, string)       {}
func (nopReporter) Filed(string)                {}
func (nopReporter) Live(func() []Piece)         {}
func (nopReporter) Fetching(bool)               {}
func (nopReporter) Placing(string, []Piece)     {}

// testJob is a Job for u whose saved size is total.
func testJob(t *testing.T, u string, total int64) *Job {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	client, err := NewClient(ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Client: func() *http.Client { return client }, Hosts: NewHostSlots(4), Global: NewLimits(1, 0), MinPiece: 1 << 20}
	j, err := newJob(env, Spec{URL: pu, Dir: t.TempDir(), Resume: &Resume{Total: total}}, nopReporter{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(j.close)
	return j
}

func TestRangeAnswers416(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f", testserver.Content(1000, 1))
	srv.Add("/odd", testserver.Content(1000, 1), testserver.Status(http.StatusRequestedRangeNotSatisfiable, testserver.Always, ""))
	j := testJob(t, srv.URL("/f"), -1)
	resp, err := j.rangeRequest(t.Context(), 1000, -1)
	if resp != nil || err != nil {
		t.Fatalf("416 with */N equal to what we have: got %v, %v; want complete", resp, err)
	}
	if _, err := j.rangeRequest(t.Context(), 1200, -1); !errors.Is(err, ErrShrunk) {
		t.Fatalf("a file that shrank: %v, want ErrShrunk", err)
	}
	odd := testJob(t, srv.URL("/odd"), -1)
	var se *StatusError
	if _, err := odd.rangeRequest(t.Context(), 500, 800); !errors.As(err, &se) || se.Code != 416 {
		t.Fatalf("an unexplained 416: %v", err)
	}
}

func TestWrongContentRangeIsRefused(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f", testserver.Content(1000, 2), testserver.ShiftRange(-500))
	j := testJob(t, srv.URL("/f"), 1000)
	if _, err := j.rangeRequest(t.Context(), 500, 600); !errors.Is(err, ErrChanged) {
		t.Fatalf("got %v, want ErrChanged", err)
	}
}
