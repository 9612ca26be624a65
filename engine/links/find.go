package links

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// findURLs returns every http or https URL written in line, in order: bare
// ones in prose, ones in HTML attributes, several per line. A URL right
// after a quote or "<" ends at the matching quote or ">" (so an attribute
// value is taken whole); otherwise it ends at whitespace, a quote, "<", ">"
// or a control character, and loses trailing sentence punctuation and
// unbalanced closing brackets. In HTML, character references such as
// "&amp;" are decoded.
func findURLs(line string) []string {
	var out []string
	isHTML := looksHTML(line)
	for i := 0; i < len(line); {
		start := indexHTTP(line, i)
		if start < 0 {
			break
		}
		u, end := takeURL(line, start, isHTML)
		out = append(out, u)
		i = end
	}
	return out
}

// indexHTTP returns the index of the next "http://" or "https://" (any
// case) in s at or after from that does not continue a longer word, or -1.
func indexHTTP(s string, from int) int {
	for i := from; i < len(s); {
		k := strings.IndexAny(s[i:], "hH")
		if k < 0 {
			return -1
		}
		i += k
		if hasHTTPPrefix(s[i:]) && (i == 0 || !isSchemeByte(s[i-1], false)) {
			return i
		}
		i++
	}
	return -1
}

// hasHTTPPrefix reports whether s starts with "http://" or "https://" in any
// case.
func hasHTTPPrefix(s string) bool {
	return len(s) >= 7 && strings.EqualFold(s[:7], "http://") ||
		len(s) >= 8 && strings.EqualFold(s[:8], "https://")
}

// takeURL extracts the URL starting at s[start] and returns it with the index
// just past it.
func takeURL(s string, start int, isHTML bool) (string, int) {
	if start > 0 {
		var close byte
		switch s[start-1] {
		case '"', '\'':
			close = s[start-1]
		case '<':
			close = '>'
		}
		if close != 0 {
			if k := strings.IndexByte(s[start:], close); k >= 0 {
				u := s[start : start+k]
				attr := close != '>' && isAttribute(s[:start-1])
				// A quoted phrase in prose that merely starts with a URL
				// is not taken whole; an attribute value or <URL> is, and a
				// space in it is then reported as malformed.
				if attr || close == '>' || !strings.ContainsFunc(u, unicode.IsSpace) {
					if isHTML || attr {
						u = decodeEntities(u)
					}
					return u, start + k + 1
				}
			}
		}
	}
	end := start
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if endsURL(r, size) {
			break
		}
		end += size
	}
	u := trimTail(s[start:end])
	if isHTML {
		u = decodeEntities(u)
	}
	return u, end
}

// isAttribute reports whether text before an opening quote ends with "=",
// as in an HTML attribute.
func isAttribute(before string) bool {
	before = strings.TrimRight(before, " \t")
	return strings.HasSuffix(before, "=")
}

// endsURL reports whether rune r (of size bytes) ends a bare URL.
func endsURL(r rune, size int) bool {
	if r == utf8.RuneError && size == 1 {
		return false // invalid UTF-8 stays in, and is reported as malformed
	}
	if r < 0x80 {
		return r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '`'
	}
	if unicode.IsSpace(r) || unicode.IsControl(r) {
		return true
	}
	switch r {
	case '。', '、', '，', '：', '；', '！', '？', '（', '）', '「', '」', '『', '』', '【', '】', '《', '》', '“', '”', '‘', '’', '«', '»':
		return true
	}
	return false
}

// trimTail removes trailing sentence punctuation and unbalanced closing
// brackets from a bare URL, never cutting into its "scheme://". It runs in
// time linear in len(u).
func trimTail(u string) string {
	floor := strings.Index(u, "://") + 3
	var open, closed [3]int // (), [], {} in u
	counted := false
	for len(u) > floor {
		c := u[len(u)-1]
		switch c {
		case '.', ',', ';', ':', '!', '?', '\'', '"', '*':
		case ')', ']', '}':
			if !counted {
				for i := 0; i < len(u); i++ {
					switch u[i] {
					case '(', '[', '{':
						open[bracketKind(u[i])]++
					case ')', ']', '}':
						closed[bracketKind(u[i])]++
					}
				}
				counted = true
			}
			k := bracketKind(c)
			if closed[k] <= open[k] {
				return u
			}
			closed[k]--
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// bracketKind numbers the bracket pairs: 0 for (), 1 for [], 2 for {}.
func bracketKind(c byte) int {
	switch c {
	case '(', ')':
		return 0
	case '[', ']':
		return 1
	}
	return 2
}

// looksHTML reports whether line holds markup: a "<" followed by a letter,
// "/" or "!".
func looksHTML(line string) bool {
	for i := strings.IndexByte(line, '<'); i >= 0 && i+1 < len(line); {
		c := line[i+1]
		if c == '/' || c == '!' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
		k := strings.IndexByte(line[i+1:], '<')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// decodeEntities decodes HTML character references that end with ";"
// ("&amp;", "&#38;", "&#x26;"). References without ";" are left alone, so a
// query such as "?a=1&copy=2" survives.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		j := i + 1
		for j < len(s) && j-i <= 32 && isEntityByte(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != ';' {
			continue
		}
		ref := s[i : j+1]
		dec := html.UnescapeString(ref)
		if dec == ref {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(dec)
		last = j + 1
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isEntityByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '#'
}

// isOtherScheme reports whether scheme (lower case) marks a token as a link
// even without "//".
func isOtherScheme(scheme string) bool {
	switch scheme {
	case "about", "blob", "data", "ed2k", "file", "ftp", "ftps", "git",
		"irc", "ircs", "javascript", "ldap", "magnet", "mailto", "news",
		"nntp", "rtmp", "rtsp", "sftp", "sms", "smb", "ssh", "tel",
		"telnet", "thunder", "urn", "vbscript", "ws", "wss":
		return true
	}
	return false
}

// linkReason reports why tok, a whitespace-free word that holds no http(s)
// URL, looks like a link that cannot be used, or "" when it does not look
// like a link at all (an ordinary word of prose).
func linkReason(tok string) string {
	t := strings.TrimLeft(tok, "<([{\"'")
	t = strings.TrimRight(t, ".,;:!?'\")]}>*")
	if t == "" {
		return ""
	}
	i := 0
	for i < len(t) && isSchemeByte(t[i], i == 0) {
		i++
	}
	if i > 0 && i < len(t) && t[i] == ':' {
		scheme, rest := strings.ToLower(t[:i]), t[i+1:]
		switch {
		case scheme == "http" || scheme == "https":
			return "malformed URL: " + scheme + ": must be followed by //"
		case strings.HasPrefix(rest, "//") || isOtherScheme(scheme):
			return unsupportedScheme(scheme)
		case isPortPath(rest) && looksLikeHost(t[:i]):
			return notALink // example.com:8080/file
		}
		return ""
	}
	slashes := strings.HasPrefix(t, "//")
	t = strings.TrimPrefix(t, "//")
	host := t
	if k := strings.IndexAny(t, "/?#:"); k >= 0 {
		host = t[:k]
		if t[k] == ':' && !isPortPath(t[k+1:]) {
			return ""
		}
	} else if !slashes && !hasPrefixFold(t, "www.") {
		// A bare name such as "setup.exe" or "example.com" is too
		// ambiguous; a host counts with a port or a path after it, with
		// "www." or "//" before it.
		return ""
	}
	if looksLikeHost(host) {
		return notALink
	}
	return ""
}

const notALink = "not a link: it needs http:// or https://"

// isPortPath reports whether s is a port number, possibly followed by a path.
func isPortPath(s string) bool {
	digits := s
	if k := strings.IndexAny(s, "/?#"); k >= 0 {
		digits = s[:k]
	}
	return isDigits(digits) && len(digits) <= 5
}

// looksLikeHost reports whether h looks like a host name: "localhost", a
// dotted name whose last label is at least two letters, or an IPv4 address.
func looksLikeHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	numeric := 0
	for _, l := range labels {
		if l == "" {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return false
			}
		}
		if isDigits(l) {
			numeric++
		}
	}
	if numeric == len(labels) {
		return len(labels) == 4
	}
	last := labels[len(labels)-1]
	if len(last) < 2 {
		return false
	}
	for i := 0; i < len(last); i++ {
		if c := last[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
