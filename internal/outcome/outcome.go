// Package outcome words a download's typed outcome (engine.Problem,
// engine.RetryInfo) for a person, the same way in the window and on the
// terminal, with the advice each front end gives in its own words: the
// engine's messages never name a flag or a menu.
package outcome

import (
	"fmt"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
)

// Advice is what a front end tells a person to do about a kind of
// problem, e.g. for engine.KindCertificate "add its CA with --ca-cert
// FILE" on the terminal and "add its CA in Settings" in the window.
type Advice map[engine.ErrorKind]string

// Failed is why a failed download failed, safe to show (no URL's
// userinfo or query, even in a message stored by an older Haul): the
// engine's message and, when adv has some for its kind, the advice after it. It
// is "" when s carries no error.
func Failed(s engine.Snapshot, adv Advice) string {
	msg := s.Problem.Message
	if msg == "" {
		msg = s.Err
	}
	if msg == "" {
		return ""
	}
	msg = safename.Display(links.Scrub(msg))
	if a := adv[s.Problem.Kind]; a != "" {
		msg += "; " + a
	}
	return msg
}

// Retrying tells that s waits to try again, as of now: "retrying in 4 s
// (attempt 2 of 5): the connection was reset by the server". It is ""
// when s is not waiting to retry.
func Retrying(s engine.Snapshot, now time.Time) string {
	r := s.Retry
	if r == nil {
		return ""
	}
	text := "retrying"
	if !r.At.IsZero() {
		text += " in " + human.Duration(max(r.At.Sub(now), 0))
	}
	if r.Of > 0 {
		text += fmt.Sprintf(" (attempt %d of %d)", min(r.Attempt+1, r.Of), r.Of)
	}
	if msg := r.Problem.Message; msg != "" {
		text += ": " + safename.Display(links.Scrub(msg))
	}
	return text
}
