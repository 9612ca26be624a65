package testserver_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestNewOnServesASecondOriginAndRecordsWhatItReceived(t *testing.T) {
	first := testserver.New()
	defer first.Close()
	second := testserver.NewOn("127.0.0.2")
	defer second.Close()
	second.Add("/f", []byte("there"))
	first.Add("/r", nil, testserver.Redirect(302, second.URL("/f")))

	u, err := url.Parse(second.URL(""))
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.2" || u.Host == first.Addr() {
		t.Fatalf("second origin at %s, first at %s", u.Host, first.Addr())
	}
	req, err := http.NewRequest(http.MethodGet, first.URL("/r"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test", "one")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != u.Host {
		t.Fatalf("status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	// Go's client carries the first request's headers over the redirect
	// and adds the previous URL as Referer: the second origin saw both.
	if got := second.Received("/f", "X-Test"); !slices.Equal(got, []string{"one"}) {
		t.Errorf("X-Test received %q", got)
	}
	if got := second.Received("/f", "Referer"); !slices.Equal(got, []string{first.URL("/r")}) {
		t.Errorf("Referer received %q", got)
	}
	if got := first.Received("/r", "Referer"); !slices.Equal(got, []string{""}) {
		t.Errorf("first origin: Referer received %q, want one request without it", got)
	}
	if got := second.Received("/never", "Referer"); got != nil {
		t.Errorf("a path never asked for: %q", got)
	}
}
