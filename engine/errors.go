package engine

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
)

// StatusError is returned when a server answers with an HTTP status that
// is not a success.
type StatusError struct {
	Code       int
	Status     string        // e.g. "404 Not Found"
	URL        string        // redacted
	RetryAfter time.Duration // from a Retry-After header; 0 if none
}

func (e *StatusError) Error() string { return e.Status + ": " + e.URL }

// ErrLocked is returned by Open when another Haul process holds the state folder.
var ErrLocked = errors.New("the download list is in use by another Haul")

// ErrNotFound is returned for an unknown download ID.
var ErrNotFound = errors.New("no such download")

// IntegrityError means the received bytes are not the file the server or
// the user described: wrong size or wrong digest.
type IntegrityError struct{ Msg string }

func (e *IntegrityError) Error() string { return e.Msg }

// redirectError is a refusal by Haul's redirect policy; never retried.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// errStalled is the cause when a connection sent nothing for StallTimeout.
var errStalled = errors.New("stalled")

// errChanged means the file on the server changed (or ranges stopped being
// honoured) while we were resuming: the download restarts from zero.
var errChanged = errors.New("the file on the server changed; starting over")

// errShrunk is errChanged for a file that got smaller.
var errShrunk = errors.New("the file on the server is now smaller; starting over")

// retryable tells transient failures (worth another attempt after a
// backoff) from permanent ones, and returns the server's requested delay.
func retryable(err error) (bool, time.Duration) {
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
	var re *redirectError
	var ie *IntegrityError
	if errors.As(err, &re) || errors.As(err, &ie) || isDiskError(err) || isTLSError(err) {
		return false, 0
	}
	if errors.Is(err, errStalled) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true, 0
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true, 0
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true, 0
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return de.IsTemporary || de.IsTimeout, 0
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false, 0
	}
	// A response Go cannot parse will not parse better next time; anything
	// else from the transport (a connection closed mid-headers) is more
	// likely a hiccup than a verdict.
	msg := err.Error()
	if strings.Contains(msg, "malformed") {
		return false, 0
	}
	return strings.Contains(msg, "connection") || strings.Contains(msg, "server"), 0
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

// describe turns an error into a sentence a person understands.
func describe(err error) string {
	if err == nil {
		return ""
	}
	var se *StatusError
	var re *redirectError
	var ie *IntegrityError
	var de *net.DNSError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var pe *fs.PathError
	switch {
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &re):
		return re.msg
	case errors.As(err, &ie):
		return ie.Msg
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full" + pathSuffix(err)
	case errors.Is(err, syscall.EDQUOT):
		return "disk quota exceeded" + pathSuffix(err)
	case errors.Is(err, syscall.EROFS):
		return "the folder is read-only" + pathSuffix(err)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "permission denied" + pathSuffix(err)
	case errors.Is(err, fs.ErrNotExist) && errors.As(err, &pe):
		return "the download folder or file is gone" + pathSuffix(err)
	case errors.As(err, &ua):
		return "the server's certificate is not trusted (unknown authority); add its CA with --ca-cert if it is your own server"
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

// statusError builds a StatusError from a response.
func statusError(resp *http.Response, redactedURL string) error {
	status := resp.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return &StatusError{
		Code:       resp.StatusCode,
		Status:     status,
		URL:        redactedURL,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
}
