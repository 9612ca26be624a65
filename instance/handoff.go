package instance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// maxAnswer bounds the answer line a sender reads.
const maxAnswer = 4096

// The kinds of hand-off.
const (
	// KindDownload asks the window to start its items at once.
	KindDownload = "download"
	// KindLinks asks the window to show its items in the Add dialog,
	// ticked, for the user to choose from.
	KindLinks = "links"
)

// Handoff is a request from the browser (through `haul native-host`),
// sent on the socket as one JSON object:
//
//	{"kind":"download","page":"https://example.org/files",
//	 "items":[{"url":"https://example.org/a.iso","name":"a.iso",
//	           "header":{"Cookie":["sid=1"],"Referer":["https://example.org/files"],
//	                     "User-Agent":["Mozilla/5.0 ..."]}}]}
//
// The receiver keeps the headers in memory only.
type Handoff struct {
	Kind  string        `json:"kind"`
	Page  string        `json:"page,omitempty"` // the page the items came from, for the user
	Items []HandoffItem `json:"items"`
}

// HandoffItem is one link of a hand-off with the request headers it needs.
type HandoffItem struct {
	URL    string      `json:"url"`
	Name   string      `json:"name,omitempty"` // the file name the browser suggested
	Header http.Header `json:"header,omitempty"`
}

// RefusedError is the reason the running Haul gave for refusing a hand-off.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "the running Haul refused it: " + e.Reason }

// SendHandoff hands h to the Haul listening on stateDir and waits until it
// has taken it. It returns an error wrapping ErrNoInstance when nobody
// listens there, and a *RefusedError when the window refused h.
func SendHandoff(stateDir string, h Handoff) error {
	if err := h.check(); err != nil {
		return err
	}
	body, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encoding the hand-off: %w", err)
	}
	if len(body) > MaxText {
		return fmt.Errorf("handing over to the running Haul: %d bytes is more than the limit of %d", len(body), MaxText)
	}
	return exchange(stateDir, handoffHeader+string(body))
}

// decodeHandoff reads one hand-off and checks its shape.
func decodeHandoff(body []byte) (Handoff, error) {
	var h Handoff
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&h); err != nil {
		return Handoff{}, fmt.Errorf("a hand-off that is not valid JSON: %w", err)
	}
	if dec.More() {
		return Handoff{}, errors.New("a hand-off with data after its JSON object")
	}
	return h, h.check()
}

// check refuses a hand-off of an unknown kind or without items.
func (h Handoff) check() error {
	if h.Kind != KindDownload && h.Kind != KindLinks {
		return fmt.Errorf("a hand-off of unknown kind %q", oneLine(h.Kind))
	}
	if len(h.Items) == 0 {
		return errors.New("a hand-off without links")
	}
	for _, it := range h.Items {
		if it.URL == "" {
			return errors.New("a hand-off with an empty link")
		}
	}
	return nil
}

// oneLine keeps an answer on one short line.
func oneLine(s string) string {
	if len(s) > maxAnswer/2 {
		s = s[:maxAnswer/2] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
