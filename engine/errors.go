package engine

import (
	"errors"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// StatusError is returned when a server answers with an HTTP status that
// is not a success.
type StatusError = transfer.StatusError

// IntegrityError means the received bytes are not the file the server or
// the user described: wrong size or wrong digest.
type IntegrityError = transfer.IntegrityError

// ErrLocked is returned by Open when another Haul process holds the state folder.
var ErrLocked = errors.New("the download list is in use by another Haul")

// ErrNotFound is returned for an unknown download ID.
var ErrNotFound = errors.New("no such download")

// problemOf turns a transfer's error into the public Problem.
func problemOf(err error) Problem { return publicProblem(transfer.ProblemOf(err)) }

func publicProblem(p transfer.Problem) Problem {
	return Problem{Kind: ErrorKind(p.Kind), Status: p.Status, Message: p.Message}
}

// ParseChecksum reads a user's checksum, "sha256=HEX" (also sha512, sha1,
// md5; "sha-256" accepted).
func ParseChecksum(s string) (algo, hexsum string, err error) { return transfer.ParseChecksum(s) }
