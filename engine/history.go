package engine

import (
	"encoding/json"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
)

// Outcome is how one attempt at a download ended.
type Outcome int

// The outcomes of an attempt.
const (
	AttemptRunning     Outcome = iota // still going
	AttemptCompleted                  // the file is complete
	AttemptRetrying                   // failed; another attempt follows (see Attempt.Next)
	AttemptFailed                     // failed; the download failed with it
	AttemptPaused                     // stopped by the user, or the queue (paused, stopped to make room)
	AttemptCanceled                   // canceled by the user
	AttemptInterrupted                // Haul was closed, or stopped without a word (a crash)
)

var outcomeNames = [...]string{"running", "completed", "retrying", "failed", "paused", "canceled", "interrupted"}

// String returns the lower-case name of the outcome ("completed", ...).
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "interrupted"
	}
	return outcomeNames[o]
}

func parseOutcome(s string) Outcome {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i)
		}
	}
	return AttemptInterrupted
}

// Attempt is one try at a download: from the start of a run, or the end
// of a wait to retry, to the next failure or the end of the run.
type Attempt struct {
	Started time.Time
	Ended   time.Time // zero while it runs
	Bytes   int64     // how far it moved the download (never negative); so far, while it runs
	Outcome Outcome
	Problem Problem   // what went wrong, for AttemptRetrying and AttemptFailed
	Next    time.Time // AttemptRetrying: when the next attempt was due
}

// MaxAttempts is how many attempts a download keeps in its history; older
// ones are dropped (and counted: Details.AttemptsDropped).
const MaxAttempts = 20

// maxAttemptMessage bounds the bytes of one stored error message, so that
// a download's record stays small.
const maxAttemptMessage = 300

// history is the bounded list of a download's attempts, oldest first.
// Guarded by Manager.mu like the rest of the download.
type history struct {
	attempts []Attempt
	dropped  int
	from     int64           // the download's bytes when the open attempt began
	raw      json.RawMessage // the stored form, nil when it must be made again
}

// open reports whether an attempt is running.
func (h *history) open() bool {
	n := len(h.attempts)
	return n > 0 && h.attempts[n-1].Outcome == AttemptRunning
}

// begin opens an attempt at now, with the download at received bytes.
func (h *history) begin(now time.Time, received int64) {
	if h.open() {
		h.end(now, received, AttemptInterrupted, Problem{}, time.Time{})
	}
	if len(h.attempts) >= MaxAttempts {
		k := len(h.attempts) - MaxAttempts + 1
		h.attempts = slices.Delete(h.attempts, 0, k)
		h.dropped += k
	}
	h.attempts = append(h.attempts, Attempt{Started: now})
	h.from = received
	h.raw = nil
}

// end closes the running attempt, if there is one, with its outcome.
func (h *history) end(now time.Time, received int64, o Outcome, p Problem, next time.Time) {
	if !h.open() {
		return
	}
	a := &h.attempts[len(h.attempts)-1]
	a.Ended, a.Bytes, a.Outcome, a.Next = now, max(received-h.from, 0), o, next
	if o == AttemptRetrying || o == AttemptFailed {
		a.Problem = p
		a.Problem.Message = shortMessage(p.Message)
	}
	h.raw = nil
}

// shortMessage keeps the first maxAttemptMessage bytes of msg, cut at a
// rune boundary, with "…" when something was cut.
func shortMessage(msg string) string {
	if len(msg) <= maxAttemptMessage {
		return msg
	}
	n := maxAttemptMessage
	for n > 0 && !utf8.RuneStart(msg[n]) {
		n--
	}
	return msg[:n] + "…"
}

// newestFirst returns the attempts for a details view: newest first,
// messages safe to show, the running one with its bytes so far (the
// download being at received).
func (h *history) newestFirst(received int64) []Attempt {
	out := make([]Attempt, len(h.attempts))
	for i, a := range h.attempts {
		a.Problem.Message = safename.Display(links.Scrub(a.Problem.Message))
		if a.Outcome == AttemptRunning {
			a.Bytes = max(received-h.from, 0)
		}
		out[len(out)-1-i] = a
	}
	return out
}

// attemptRecord is an attempt as stored (short keys: a record is written
// at every checkpoint).
type attemptRecord struct {
	Started time.Time `json:"s"`
	Ended   time.Time `json:"e,omitzero"`
	Bytes   int64     `json:"b,omitempty"`
	Outcome string    `json:"o"`
	Kind    string    `json:"k,omitempty"`
	Status  int       `json:"st,omitempty"`
	Message string    `json:"m,omitempty"`
	Next    time.Time `json:"n,omitzero"`
}

// historyRecord is the stored history.
type historyRecord struct {
	Attempts []attemptRecord `json:"a"`
	Dropped  int             `json:"dropped,omitempty"`
}

// stored returns the history as kept in the download's record, made
// again only after a change; nil when there is none.
func (h *history) stored() json.RawMessage {
	if len(h.attempts) == 0 && h.dropped == 0 {
		return nil
	}
	if h.raw != nil {
		return h.raw
	}
	r := historyRecord{Attempts: make([]attemptRecord, len(h.attempts)), Dropped: h.dropped}
	for i, a := range h.attempts {
		r.Attempts[i] = attemptRecord{
			Started: a.Started, Ended: a.Ended, Bytes: a.Bytes, Outcome: a.Outcome.String(),
			Kind: a.Problem.Kind.String(), Status: a.Problem.Status, Message: a.Problem.Message, Next: a.Next,
		}
	}
	h.raw, _ = json.Marshal(r) // cannot fail: plain data
	return h.raw
}

// restore reads a stored history. An attempt still running when it was
// stored was cut short by a crash: it counts as interrupted. A history
// that cannot be read is dropped (it is only for people to look at).
func (h *history) restore(raw json.RawMessage) {
	var r historyRecord
	if len(raw) == 0 || json.Unmarshal(raw, &r) != nil {
		return
	}
	if len(r.Attempts) > MaxAttempts {
		r.Dropped += len(r.Attempts) - MaxAttempts
		r.Attempts = r.Attempts[len(r.Attempts)-MaxAttempts:]
	}
	h.dropped = max(r.Dropped, 0)
	for _, a := range r.Attempts {
		at := Attempt{Started: a.Started, Ended: a.Ended, Bytes: max(a.Bytes, 0), Outcome: parseOutcome(a.Outcome), Next: a.Next}
		if at.Outcome == AttemptRunning {
			at.Outcome = AttemptInterrupted
		}
		if a.Message != "" || a.Status != 0 {
			at.Problem = Problem{Kind: parseKind(a.Kind), Status: a.Status, Message: shortMessage(a.Message)}
		}
		h.attempts = append(h.attempts, at)
	}
}

// endAttemptLocked closes the running attempt of d as its run ended with
// res and err, stopped for cause. Called with m.mu held, before finish
// changes d.
func (m *Manager) endAttemptLocked(d *download, res transfer.Result, err, cause error) {
	now, got := time.Now(), d.received.Load()
	switch {
	case err == nil:
		d.hist.end(now, res.Total, AttemptCompleted, Problem{}, time.Time{})
	case errors.Is(cause, errCancel), errors.Is(cause, errRemove):
		d.hist.end(now, got, AttemptCanceled, Problem{}, time.Time{})
	case errors.Is(cause, errPause):
		d.hist.end(now, got, AttemptPaused, Problem{}, time.Time{})
	case errors.Is(cause, errShutdown):
		d.hist.end(now, got, AttemptInterrupted, Problem{}, time.Time{})
	default:
		d.hist.end(now, got, AttemptFailed, problemOf(err), time.Time{})
	}
}

// attemptRetrying records the end of a failed attempt (info set) or the
// start of the next one (info nil: the wait is over). A wait cut short
// because the download is being stopped starts nothing. Called with m.mu
// held.
func (p *reporter) attemptRetrying(info *transfer.RetryInfo) {
	if !p.current() {
		return
	}
	now := time.Now()
	if info != nil {
		p.d.hist.end(now, p.d.received.Load(), AttemptRetrying, publicProblem(info.Problem), info.At)
		p.m.persistLocked(p.d)
		return
	}
	if p.d.state == Active && !p.m.closed {
		p.d.hist.begin(now, p.d.received.Load())
	}
}

// Live keeps the transfer's reader of its pieces as written (see
// transfer.Reporter.Live), for Details.
func (p *reporter) Live(written func() []transfer.Piece) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.d.run == p.r {
		p.r.written = written
	}
}
