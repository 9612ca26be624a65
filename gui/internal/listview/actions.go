package listview

import "github.com/haul-dl/haul/engine"

// Action is something the toolbar or a key does to downloads.
type Action int

// The actions on a selection.
const (
	Pause Action = iota
	Resume
	Retry
	Remove
	OpenFolder
)

// Applies reports whether a applies to a download in state st: Pause to
// running and waiting ones, Resume to paused ones, Retry to failed and
// canceled ones; Remove and OpenFolder to any.
func (a Action) Applies(st engine.State) bool {
	switch a {
	case Pause:
		return st == engine.Active || st == engine.Queued
	case Resume:
		return st == engine.Paused
	case Retry:
		return st == engine.Failed || st == engine.Canceled
	}
	return true
}

// Targets returns the IDs among snaps that a applies to, in order, so that
// "Pause" on a selection of ten with three finished pauses seven and
// reports nothing for the other three.
func Targets(a Action, snaps []engine.Snapshot) []string {
	var ids []string
	for _, s := range snaps {
		if a.Applies(s.State) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// SpaceAction is what the Space key does to a selection: pause when any of
// it is running or waiting, else resume when any is paused, else retry when
// any failed. ok is false when Space does nothing (all completed).
func SpaceAction(snaps []engine.Snapshot) (a Action, ok bool) {
	for _, a := range []Action{Pause, Resume, Retry} {
		if len(Targets(a, snaps)) > 0 {
			return a, true
		}
	}
	return 0, false
}

// Folders returns the distinct folders of snaps, in order, for "open
// folder" on a selection (one file manager window per folder).
func Folders(snaps []engine.Snapshot) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range snaps {
		if s.Dir != "" && !seen[s.Dir] {
			seen[s.Dir] = true
			out = append(out, s.Dir)
		}
	}
	return out
}
