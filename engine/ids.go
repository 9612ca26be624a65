package engine

import "github.com/google/uuid"

// newID makes a download's ID: a UUIDv7, whose leading bits are the time,
// so IDs sort in the order downloads were added (the google/uuid package
// keeps them increasing within a process). The store's keys are these IDs:
// the records of downloads added together sit side by side in bbolt's
// tree, and a commit of a batch that finished together writes a few pages
// instead of one per download (BenchmarkPutNewKeys in engine/store). IDs
// stored by earlier versions (random UUIDv4s) stay as they are.
func newID() string {
	id, err := uuid.NewV7()
	if err != nil { // no randomness: still unique, only not ordered
		return uuid.NewString()
	}
	return id.String()
}
