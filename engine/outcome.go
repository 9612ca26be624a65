package engine

import (
	"net/http"
	"time"
)

// ErrorKind says what sort of failure a download met, so that a program
// (or a front end wording its own advice) need not parse the message.
type ErrorKind int

// The kinds of failure.
const (
	KindNone        ErrorKind = iota // no error
	KindNetwork                      // connect, reset, timeout, truncated body, DNS
	KindHTTP                         // the server answered with an error status (see Problem.Status)
	KindIntegrity                    // wrong size or digest
	KindDisk                         // full, read-only, permission denied, folder gone
	KindCertificate                  // the server's certificate is not trusted or invalid
	KindPolicy                       // refused by Haul's rules: scheme, redirect limits, https downgrade
	KindProtocol                     // a response that is not valid HTTP or not the file asked for
	KindAuth                         // credentials are needed again (e.g. after a restart)
	KindInternal                     // anything else
)

var kindNames = [...]string{"", "network", "http", "integrity", "disk", "certificate", "policy", "protocol", "auth", "internal"}

// String returns the lower-case name of the kind ("network", "http", ...);
// "" for KindNone.
func (k ErrorKind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "internal"
	}
	return kindNames[k]
}

// Problem is an error a download met, in a form a program can read.
type Problem struct {
	Kind    ErrorKind
	Status  int    // HTTP status code, for KindHTTP
	Message string // in words a person understands; never names a command-line flag
}

// RetryInfo tells that a download is waiting to try again, apart from why.
type RetryInfo struct {
	Attempt int       // failed attempts in a row so far (1-based)
	Of      int       // attempts allowed before the download fails
	At      time.Time // when the next attempt starts
	Problem Problem   // what went wrong on the last attempt
}

// Header is the type of extra request headers a Request may carry (for
// example the Referer, User-Agent and Cookie a browser hands over). They
// are kept in memory only, never stored, and dropped when a redirect
// leaves the origin they were given for.
type Header = http.Header
