package transfer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/haul-dl/haul/engine/links"
)

// Kind says what sort of failure a transfer met. The values match the
// engine's public ErrorKind one for one.
type Kind int

// The kinds of failure (see engine.ErrorKind).
const (
	KindNone Kind = iota
	KindNetwork
	KindHTTP
	KindIntegrity
	KindDisk
	KindCertificate
	KindPolicy
	KindProtocol
	KindAuth
	KindInternal
)

// Problem is an error in a form a program can read.
type Problem struct {
	Kind    Kind
	Status  int    // HTTP status, for KindHTTP and KindAuth
	Message string // in words a person understands; never names a command-line flag
}

// StatusError is returned when a server answers with an HTTP status that
// is not a success.
type StatusError struct {
	Code       int
	Status     string        // e.g. "404 Not Found"
	URL        string        // scrubbed (links.Scrub): no userinfo, no query
	RetryAfter time.Duration // from a Retry-After header; 0 if none
	Note       string        // advice added to the message, e.g. about a password not kept
}

func (e *StatusError) Error() string {
	msg := e.Status
	if e.Note != "" {
		msg += " (" + e.Note + ")"
	}
	return msg + ": " + e.URL
}

// IntegrityError means the received bytes are not the file the server or
// the user described: wrong size or wrong digest.
type IntegrityError struct{ Msg string }

func (e *IntegrityError) Error() string { return e.Msg }

// RedirectError is a refusal by Haul's redirect policy; never retried.
type RedirectError struct{ Msg string }

func (e *RedirectError) Error() string { return e.Msg }

// ProtocolError is an answer that is not what was asked for (a bad
// Content-Range, a file that keeps changing); never retried.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return e.Msg }

// ErrFolderGone is returned when the download folder was deleted while
// the transfer ran.
var ErrFolderGone = errors.New("the download folder was deleted")

// folderGone is ErrFolderGone for one folder.
type folderGone struct{ dir string }

func (e *folderGone) Error() string        { return "the download folder " + e.dir + " was deleted" }
func (e *folderGone) Is(target error) bool { return target == ErrFolderGone }

// errStalled is the cause when a connection sent nothing for StallTimeout.
var errStalled = errors.New("stalled")

// ErrChanged means the file on the server changed (or ranges stopped being
// honoured) while resuming: the transfer restarts from zero.
var ErrChanged = errors.New("the file on the server changed; starting over")

// errWrongRange is ErrChanged for a range answered with other bytes than
// asked: a server that does this for extra connections may still serve
// the download over one (see pool.work).
var errWrongRange = fmt.Errorf("the server answered with other bytes than asked for: %w", ErrChanged)

// botchedRange is an errWrongRange from a server known to botch parallel
// ranges (see pool.work): retried, not taken as a change of the file.
type botchedRange struct{ err error }

func (b *botchedRange) Error() string { return b.err.Error() }

// ErrShrunk is ErrChanged for a file that got smaller.
var ErrShrunk = errors.New("the file on the server is now smaller; starting over")

// gaveUp wraps the last error of a transfer that used up its retries.
type gaveUp struct {
	attempts int
	err      error
}

func (g *gaveUp) Error() string {
	return fmt.Sprintf("gave up after %d attempts: %v", g.attempts, g.err)
}
func (g *gaveUp) Unwrap() error { return g.err }

// Retryable tells transient failures (worth another attempt after a
// backoff) from permanent ones, by cause, and returns the server's
// requested delay.
func Retryable(err error) (bool, time.Duration) {
	if err == nil {
		return false, 0
	}
	var se *StatusError
	if errors.As(err, &se) {
		switch {
		case se.Code == http.StatusRequestTimeout, se.Code == http.StatusTooManyRequests:
			return true, se.RetryAfter
		case se.Code >= 500 && se.Code != http.StatusNotImplemented && se.Code != http.StatusHTTPVersionNotSupported:
			return true, se.RetryAfter
		}
		return false, 0
	}
	var re *RedirectError
	var ie *IntegrityError
	var pe *ProtocolError
	var po *PolicyError
	if errors.As(err, &re) || errors.As(err, &ie) || errors.As(err, &pe) || errors.As(err, &po) || isDiskError(err) || isTLSError(err) {
		return false, 0
	}
	if _, ok := hlsKind(err); ok || errors.Is(err, ErrPlaylist) || errors.Is(err, ErrManifest) {
		return false, 0
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrFolderGone) {
		return false, 0
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		// A name that does not exist will not exist in a second either;
		// a resolver that timed out may answer next time.
		return de.IsTimeout || de.IsTemporary, 0
	}
	var br *botchedRange
	if errors.As(err, &br) || errors.Is(err, errStalled) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true, 0
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true, 0
	}
	if isMalformed(err) {
		return false, 0
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true, 0
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true, 0 // a connection that failed for another reason
	}
	// Anything else from the transport (a connection closed mid-headers)
	// is more likely a hiccup than a verdict.
	msg := err.Error()
	return strings.Contains(msg, "connection") || strings.Contains(msg, "server closed"), 0
}

// isMalformed reports a response or URL Go's HTTP client refused: it will
// not parse better next time.
func isMalformed(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "malformed") || strings.Contains(msg, "no Host in request URL") ||
		strings.Contains(msg, "invalid header") || strings.Contains(msg, "server response headers exceeded")
}

func isDiskError(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) || errors.As(err, &le) {
		return true
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EROFS) ||
		errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EDQUOT)
}

func isTLSError(err error) bool {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var ve *tls.CertificateVerificationError
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &ve)
}

// ProblemOf classifies an error and words it. The message never holds
// a URL's userinfo or query (links.Scrub): Go's own errors quote the
// whole URL, signed token and all.
func ProblemOf(err error) Problem {
	if err == nil {
		return Problem{}
	}
	p := Problem{Kind: KindInternal, Message: links.Scrub(Describe(err))}
	if k, ok := hlsKind(err); ok {
		p.Kind = k
		return p
	}
	var po *PolicyError
	if errors.As(err, &po) {
		p.Kind = KindPolicy
		return p
	}
	var se *StatusError
	var re *RedirectError
	var ie *IntegrityError
	var pe *ProtocolError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		p.Kind, p.Status = KindHTTP, se.Code
		if se.Note != "" && se.Code == http.StatusUnauthorized {
			p.Kind = KindAuth
		}
	case errors.As(err, &re):
		p.Kind = KindPolicy
	case errors.As(err, &ie):
		p.Kind = KindIntegrity
	case isTLSError(err):
		p.Kind = KindCertificate
	case errors.Is(err, ErrFolderGone), isDiskError(err):
		p.Kind = KindDisk
	case errors.As(err, &pe), errors.Is(err, ErrChanged), errors.Is(err, ErrShrunk), isMalformed(err):
		p.Kind = KindProtocol
	case errors.As(err, &ne), errors.Is(err, errStalled), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED):
		p.Kind = KindNetwork
	}
	return p
}

// Describe turns an error into a sentence a person understands.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var g *gaveUp
	var sg *SegmentError
	var se *StatusError
	var re *RedirectError
	var ie *IntegrityError
	var pe *ProtocolError
	var de *net.DNSError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var fe *fs.PathError
	switch {
	case errors.As(err, &g):
		return fmt.Sprintf("gave up after %d attempts: %s", g.attempts, Describe(g.err))
	case errors.As(err, &sg):
		return sg.What + ": " + Describe(sg.Err)
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &re):
		return re.Msg
	case errors.As(err, &ie):
		return ie.Msg
	case errors.As(err, &pe):
		return pe.Msg
	case errors.Is(err, ErrFolderGone):
		var fg *folderGone
		if errors.As(err, &fg) {
			return fg.Error()
		}
		return err.Error()
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full" + pathSuffix(err)
	case errors.Is(err, syscall.EDQUOT):
		return "disk quota exceeded" + pathSuffix(err)
	case errors.Is(err, syscall.EROFS):
		return "the folder is read-only" + pathSuffix(err)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "permission denied" + pathSuffix(err)
	case errors.Is(err, fs.ErrNotExist) && errors.As(err, &fe):
		return "the download folder or file is gone" + pathSuffix(err)
	case errors.As(err, &ua):
		return "the server's certificate is not trusted (unknown authority); if it is your own server, add its certificate authority to Haul's trusted certificates"
	case errors.As(err, &hn):
		return "the server's certificate is for another name: " + hn.Error()
	case errors.As(err, &ci):
		return "the server's certificate is invalid: " + ci.Error()
	case errors.Is(err, errStalled):
		return "the server stopped sending data"
	case errors.As(err, &de):
		if de.IsNotFound {
			return "no such host: " + de.Name
		}
		return "could not look up " + de.Name + ": " + de.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return "could not connect: the server refused the connection"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset by the server"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection before sending the whole file"
	case strings.Contains(err.Error(), "server response headers exceeded"):
		return "the server's response headers are too large (more than 64 KiB): refused"
	case isMalformed(err):
		return "the server sent a malformed response: " + err.Error()
	}
	return err.Error()
}

func pathSuffix(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return " (" + pe.Path + ")"
	}
	return ""
}

// parseRetryAfter reads a Retry-After header (seconds or an HTTP date),
// capped so a hostile server cannot park a download for days.
func parseRetryAfter(v string, now time.Time) time.Duration {
	const maxWait = 10 * time.Minute
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	return min(d, maxWait)
}

// statusError builds a StatusError from a response to a request for u,
// which the message shows scrubbed.
func statusError(resp *http.Response, u string) *StatusError {
	status := resp.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return &StatusError{
		Code:       resp.StatusCode,
		Status:     status,
		URL:        links.Scrub(u),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
}
