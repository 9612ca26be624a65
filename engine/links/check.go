package links

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const badPort = "malformed URL: the port must be a number from 1 to 65535"

// checkURL reports why s cannot be downloaded, or "" when it is an absolute
// http or https URL with a host that the engine can fetch as is.
func checkURL(s string) string {
	if !utf8.ValidString(s) {
		return "malformed URL: it is not valid UTF-8 text"
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return "malformed URL: it contains a space (write it as %20)"
		case unicode.IsControl(r):
			return "malformed URL: it contains a control character"
		case unsafeRune(r):
			return "malformed URL: it contains invisible or direction-changing characters"
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return parseReason(err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return unsupportedScheme(u.Scheme)
	}
	if u.Opaque != "" {
		return fmt.Sprintf("malformed URL: %s: must be followed by //", u.Scheme)
	}
	if u.Hostname() == "" {
		return "malformed URL: it has no host name"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return badPort
		}
	}
	return ""
}

// parseReason turns a url.Parse error into a reason that does not repeat
// the URL, which may hold a password.
func parseReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := strings.TrimPrefix(err.Error(), "net/url: ")
	switch {
	case strings.HasPrefix(msg, "invalid port"):
		return badPort
	case strings.HasPrefix(msg, "invalid URL escape "):
		return "malformed URL: invalid percent-escape " + strings.TrimPrefix(msg, "invalid URL escape ")
	case msg == "invalid userinfo":
		return "malformed URL: the user name or password part is invalid"
	}
	return "malformed URL: " + msg
}

// unsupportedScheme is the reason for a link with another scheme.
func unsupportedScheme(scheme string) string {
	return fmt.Sprintf("unsupported scheme %q: only http and https links can be downloaded",
		shorten(strings.ToLower(scheme), 20))
}

// Key returns the form of URL s that tells whether two links name the same
// file on the same server: scheme and host lower-cased, the default port,
// the fragment and any user name or password dropped, an empty path
// written as "/". It is meant for URLs Scan emitted or the engine shows
// (with the password redacted), which compare equal.
func Key(s string) string {
	k := dedupKey(s)
	i := strings.Index(k, "://")
	if i < 0 {
		return k
	}
	rest := k[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		return k[:i+3] + rest[at+1:]
	}
	return k
}

// dedupKey returns the form of URL s used to find duplicates: scheme and
// host lower-cased, the default port and the fragment (never sent to the
// server) dropped, an empty path written as "/". s must have passed
// checkURL.
func dedupKey(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	scheme := strings.ToLower(s[:i])
	rest := s[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth, tail := rest[:end], rest[end:]
	user := ""
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		user, auth = auth[:at+1], auth[at+1:]
	}
	host := strings.TrimSuffix(strings.ToLower(auth), ":")
	switch scheme {
	case "http":
		host = strings.TrimSuffix(host, ":80")
	case "https":
		host = strings.TrimSuffix(host, ":443")
	}
	if j := strings.IndexByte(tail, '#'); j >= 0 {
		tail = tail[:j]
	}
	if tail == "" || tail[0] != '/' {
		tail = "/" + tail
	}
	return scheme + "://" + user + host + tail
}
