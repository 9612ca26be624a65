package links

import "net/url"

// Redact returns s with the password of any URL in it replaced by
// "xxxxx": url.URL.Redacted for a URL that parses, and the same rewrite
// done on the text for one that does not (a pasted line, an argument
// with a typo), so that a password never reaches a message.
func Redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil && u.Host != "" {
		return u.Redacted()
	}
	return redact(s, false)
}
