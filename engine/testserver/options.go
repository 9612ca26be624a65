package testserver

import (
	"bytes"
	"time"
)

// Always, given as a request count to ResetAfter, Stall or Status, means
// every request rather than only the first few.
const Always = -1

// Option changes how the server answers for one file.
type Option func(*config)

// config is the set of knobs for one file.
type config struct {
	throttle int64

	resetAfter int64
	resetFirst int  // 0: off
	resetLong  bool // count only the bodies longer than resetAfter
	hardReset  bool

	ignoreRange bool
	shiftRange  int64
	shiftBusy   bool // shift only while another request is in flight
	lie         bool
	lieDelta    int64

	refuseAfter, refuseTimes int // Refuse; refuseTimes 0: off

	status      int
	statusTimes int // 0: off
	retryAfter  string

	change *changeSpec // nil: no change

	etagMode     etagMode
	etag         string
	noLastMod    bool
	lastModified time.Time

	chunked        bool
	closeDelimited bool

	slowHeaders time.Duration

	stallAfter int64
	stallFor   time.Duration
	stallFirst int // 0: off

	holdAt  int64
	holdFor <-chan struct{} // nil: off

	contentDisposition *string
	contentType        *string

	redirectCode     int
	redirectLocation string

	headers [][2]string
	digest  digestMode

	auth             bool
	authUser, authPw string

	needHeader [2]string // key, value; key "" for none
}

// changeSpec is a ChangeAfter option; each option call makes a new one.
type changeSpec struct {
	after   int
	content []byte
}

type etagMode int

const (
	etagStrong etagMode = iota // derived from the content hash
	etagWeak
	etagNone
	etagFixed // the value given to ETag
)

type digestMode int

const (
	digestNone digestMode = iota
	digestRight
	digestWrong
)

func (c *config) clone() config {
	d := *c
	d.headers = append([][2]string(nil), c.headers...)
	return d
}

// Throttle limits each response body to about bytesPerSec, sent in small
// flushed chunks. It stops as soon as the client goes away.
func Throttle(bytesPerSec int64) Option {
	return func(c *config) { c.throttle = bytesPerSec }
}

// ResetAfter cuts the connection after n body bytes, without finishing the
// response, on the first firstK responses that carry a body (GET answered
// 200 or 206; HEAD and error answers do not count). firstK may be Always.
// The n bytes are flushed first and the connection is closed normally, so
// the client receives exactly n bytes and then an unexpected end of
// stream; add HardReset to send a TCP reset instead. A body of n bytes or
// fewer is sent whole.
func ResetAfter(n int64, firstK int) Option {
	return func(c *config) { c.resetAfter, c.resetFirst = n, firstK }
}

// ResetLonger is ResetAfter counting only the bodies that reach n bytes:
// the first times of them are cut there, however many went whole or were
// closed by the client before. A test then knows exactly how many
// connections were dropped, whatever ranges the client asked for.
func ResetLonger(n int64, times int) Option {
	return func(c *config) { c.resetAfter, c.resetFirst, c.resetLong = n, times, true }
}

// HardReset makes ResetAfter abort the connection with a TCP reset
// (SO_LINGER 0). Bytes still in the kernel's send buffer may then be lost,
// so the client can receive fewer than n bytes.
func HardReset() Option {
	return func(c *config) { c.hardReset = true }
}

// IgnoreRange answers every request with 200 and the whole body, and sends
// no Accept-Ranges header.
func IgnoreRange() Option {
	return func(c *config) { c.ignoreRange = true }
}

// LieLength sends a Content-Length of the true body length plus delta,
// while sending the true body. With delta > 0 the connection closes early;
// with delta < 0 the response is written on the raw connection so the
// extra bytes really go out, and the connection is then closed.
// It has no effect together with Chunked or CloseDelimited.
func LieLength(delta int64) Option {
	return func(c *config) { c.lie, c.lieDelta = true, delta }
}

// ShiftRange answers a satisfiable range request with the bytes delta
// further on (clamped to the file), and a Content-Range that says so
// truthfully: the answer of a buggy cache or proxy, consistent in itself
// but not the range that was asked for.
func ShiftRange(delta int64) Option {
	return func(c *config) { c.shiftRange = delta }
}

// Refuse hangs up on requests after+1 … after+times to the path (any
// method, counted as for Status; times may be Always) with a TCP reset,
// before any answer: a server that refuses connections for a while. The
// client sees the connection reset (a closed port's ECONNREFUSED needs
// the whole server gone, which Close does).
func Refuse(after, times int) Option {
	return func(c *config) { c.refuseAfter, c.refuseTimes = after, times }
}

// refuses reports whether request n is hung up on (see Refuse).
func (c *config) refuses(n int) bool {
	return c.refuseTimes != 0 && n > c.refuseAfter && firstK(n-c.refuseAfter, c.refuseTimes)
}

// ShiftConcurrent is ShiftRange only for the range requests that come
// while another request to the path is in flight: a server or CDN that
// answers a download's extra connections with the wrong bytes, while
// its first connection works.
func ShiftConcurrent(delta int64) Option {
	return func(c *config) { c.shiftRange, c.shiftBusy = delta, true }
}

// Status answers the first times requests to the path (any method) with
// code and a short text body, plus a Retry-After header if retryAfter is
// not empty. times may be Always.
func Status(code, times int, retryAfter string) Option {
	return func(c *config) { c.status, c.statusTimes, c.retryAfter = code, times, retryAfter }
}

// ChangeAfter serves the content for the first k requests to the path (any
// method, counted since Add; Set does not restart the count) and
// newContent from request k+1 on, with a new ETag (in the same
// style; a fixed ETag is replaced by a derived one) and a later
// Last-Modified.
func ChangeAfter(k int, newContent []byte) Option {
	nc := bytes.Clone(newContent)
	if nc == nil {
		nc = []byte{}
	}
	return func(c *config) { c.change = &changeSpec{after: k, content: nc} }
}

// ETag sends v (quotes included, e.g. `"v1"` or `W/"v1"`) as the ETag of
// the content given to Add or Set.
func ETag(v string) Option {
	return func(c *config) { c.etagMode, c.etag = etagFixed, v }
}

// NoETag sends no ETag header.
func NoETag() Option {
	return func(c *config) { c.etagMode = etagNone }
}

// WeakETag sends a weak ETag (W/"...") derived from the content. A weak
// ETag never satisfies If-Range.
func WeakETag() Option {
	return func(c *config) { c.etagMode = etagWeak }
}

// NoLastModified sends no Last-Modified header; If-Range dates then never
// match.
func NoLastModified() Option {
	return func(c *config) { c.noLastMod = true }
}

// LastModified sets the Last-Modified time (truncated to seconds) of the
// content given to Add or Set. By default it is an hour before Add.
func LastModified(t time.Time) Option {
	return func(c *config) { c.lastModified = t.UTC().Truncate(time.Second) }
}

// Chunked sends no Content-Length: the body goes out with
// Transfer-Encoding: chunked, and Range is ignored.
func Chunked() Option {
	return func(c *config) { c.chunked = true }
}

// CloseDelimited sends neither Content-Length nor chunked encoding: the end
// of the body is the server closing the connection. Range is ignored.
func CloseDelimited() Option {
	return func(c *config) { c.closeDelimited = true }
}

// SlowHeaders waits d before answering each request (stopping early if the
// client goes away).
func SlowHeaders(d time.Duration) Option {
	return func(c *config) { c.slowHeaders = d }
}

// Stall stops sending for d, with the connection held open, once
// afterBytes body bytes have been sent (0: right after the headers), on
// the first firstK responses that carry a body (counted as for
// ResetAfter). firstK may be Always. The pause ends early if the client
// goes away.
func Stall(afterBytes int64, d time.Duration, firstK int) Option {
	return func(c *config) { c.stallAfter, c.stallFor, c.stallFirst = afterBytes, d, firstK }
}

// Hold pauses every GET body of the path once afterBytes bytes of it have
// been sent (0: right after the headers), with the connection held open,
// until release is closed (or the client goes away). Unlike Stall it waits
// for the test, not for a time, so a test can hold a download in a known
// state for as long as it needs.
func Hold(afterBytes int64, release <-chan struct{}) Option {
	return func(c *config) { c.holdAt, c.holdFor = afterBytes, release }
}

// ContentDisposition sends v, unchanged, as the Content-Disposition header.
func ContentDisposition(v string) Option {
	return func(c *config) { c.contentDisposition = &v }
}

// ContentType sends v, unchanged, as the Content-Type header instead of
// the type guessed from the extension. An empty v sends no Content-Type
// at all.
func ContentType(v string) Option {
	return func(c *config) { c.contentType = &v }
}

// Redirect makes the path answer every request with code and a Location
// header of exactly location (relative, absolute, or any scheme). Chains
// and loops are built from several redirecting paths.
func Redirect(code int, location string) Option {
	return func(c *config) { c.redirectCode, c.redirectLocation = code, location }
}

// Header adds a response header sent unchanged on normal answers (e.g.
// Content-Encoding: gzip, which the server does not act on).
func Header(key, value string) Option {
	return func(c *config) { c.headers = append(c.headers, [2]string{key, value}) }
}

// Digest sends a correct Repr-Digest: sha-256=:BASE64: header for the whole
// content.
func Digest() Option {
	return func(c *config) { c.digest = digestRight }
}

// WrongDigest sends a well-formed Repr-Digest header that does not match
// the content.
func WrongDigest() Option {
	return func(c *config) { c.digest = digestWrong }
}

// RequireAuth answers 401 with a Basic challenge unless the request
// carries HTTP basic auth for user and pass.
func RequireAuth(user, pass string) Option {
	return func(c *config) { c.auth, c.authUser, c.authPw = true, user, pass }
}

// RequireHeader answers 403 unless the request carries header key with
// exactly value (a site that wants its cookie or referer).
func RequireHeader(key, value string) Option {
	return func(c *config) { c.needHeader = [2]string{key, value} }
}

// firstK reports whether the nth counted event is among the first k
// (k == Always: all; k == 0: none).
func firstK(n, k int) bool {
	return k == Always || (k > 0 && n <= k)
}

// redirect reports whether the file only redirects.
func (c *config) redirect() bool { return c.redirectCode != 0 }

// statusFor reports whether request n gets the canned status.
func (c *config) statusFor(n int) bool {
	return c.status != 0 && firstK(n, c.statusTimes)
}

// noRanges reports whether ranges are ignored.
func (c *config) noRanges() bool { return c.ignoreRange || c.chunked || c.closeDelimited }
