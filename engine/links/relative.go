package links

import (
	"net/url"
	"strings"
)

// A saved HTML page (a directory listing, a gallery saved from a browser)
// mostly links to its files with relative addresses such as
// <a href="img/001.jpg">. They become links once they are resolved against
// the page's own address: its <base href="...">, else the
// "<!-- saved from url=(0042)https://... -->" comment browsers write at the
// top of a saved page, else Options.Base. Without any of them they are only
// counted, in Summary.Unresolved, so that the caller can ask for the page's
// address and scan again.

// linkAttrs names, per tag, the attribute holding a file worth downloading.
// Other tags' references (style sheets, scripts, forms) are the page's own
// furniture, not its content.
var linkAttrs = map[string]string{
	"a": "href", "area": "href", "img": "src", "video": "src",
	"audio": "src", "source": "src", "embed": "src", "track": "src",
}

// savedFromMarker starts the comment browsers write into a saved page.
const savedFromMarker = "saved from url="

// baseOf reports the page address a line declares: a saved-from comment or
// a <base href>, the latter resolved against the page address known so far
// (cur). It returns nil when the line declares none.
func baseOf(line string, cur *url.URL) (base *url.URL, declared string, fromTag bool) {
	if i := indexFold(line, savedFromMarker); i >= 0 && strings.Contains(line[:i], "<!--") {
		rest := line[i+len(savedFromMarker):]
		if strings.HasPrefix(rest, "(") {
			if k := strings.IndexByte(rest, ')'); k >= 0 {
				rest = rest[k+1:]
			}
		}
		if k := strings.IndexAny(rest, " \t>"); k >= 0 {
			rest = rest[:k]
		}
		rest = strings.TrimSuffix(rest, "--")
		if u := absoluteHTTP(rest, nil); u != nil {
			return u, rest, false
		}
	}
	for _, t := range tags(line) {
		if t.name != "base" {
			continue
		}
		if v, ok := t.attrs["href"]; ok {
			if u := absoluteHTTP(v, cur); u != nil {
				return u, v, true
			}
		}
	}
	return nil, "", false
}

// relativeRefs returns the relative file references of an HTML line, in
// order: the href or src of the tags in linkAttrs that is not an absolute
// http(s) URL (those findURLs already takes), not another scheme, not a
// fragment or query of the page itself, and not a folder (ending in "/").
func relativeRefs(line string) []string {
	var out []string
	for _, t := range tags(line) {
		attr, ok := linkAttrs[t.name]
		if !ok {
			continue
		}
		v := strings.TrimSpace(t.attrs[attr])
		if hasHTTPPrefix(v) {
			continue
		}
		if u, err := url.Parse(v); err == nil && u.Scheme != "" {
			continue // mailto:, javascript:, data:, ftp: ...
		}
		if p := pathPart(v); p == "" || strings.HasSuffix(p, "/") {
			continue // "", "#top", "?C=N;O=D", "../", "old/"
		}
		out = append(out, v)
	}
	return out
}

// resolve makes ref absolute against base. A ref that does not parse is
// returned as it is, for checkURL to reject with its reason.
func resolve(base *url.URL, ref string) string {
	r, err := url.Parse(ref)
	if err != nil {
		return ref // checkURL reports why
	}
	u := base.ResolveReference(r)
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// absoluteHTTP parses s as an http(s) URL with a host, resolving it against
// cur when it is relative; nil when it is not one.
func absoluteHTTP(s string, cur *url.URL) *url.URL {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	if cur != nil {
		u = cur.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

func pathPart(ref string) string {
	if k := strings.IndexAny(ref, "?#"); k >= 0 {
		return ref[:k]
	}
	return ref
}

// tag is one start tag found on a line: its lower-case name and attributes
// (lower-case names, values with character references decoded).
type tag struct {
	name  string
	attrs map[string]string
}

// tags returns the start tags written on line. A tag cut by the end of the
// line keeps the attributes read so far; this reader is line-based, as is
// all of Scan, and real pages rarely break a tag inside a link.
func tags(line string) []tag {
	var out []tag
	for i := 0; i < len(line); {
		k := strings.IndexByte(line[i:], '<')
		if k < 0 {
			break
		}
		i += k + 1
		n := 0
		for i+n < len(line) && isTagByte(line[i+n]) {
			n++
		}
		if n == 0 {
			continue
		}
		t := tag{name: strings.ToLower(line[i : i+n])}
		i += n
		t.attrs, i = attributes(line, i)
		out = append(out, t)
	}
	return out
}

// attributes reads name=value pairs from s[i:] up to the ">" that ends the
// tag, returning them and the index past that ">".
func attributes(s string, i int) (map[string]string, int) {
	attrs := map[string]string{}
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '/' || s[i] == '\r' || s[i] == '\n') {
			i++
		}
		if i >= len(s) || s[i] == '>' {
			return attrs, i + 1
		}
		start := i
		for i < len(s) && !strings.ContainsRune(" \t=>/", rune(s[i])) {
			i++
		}
		name := strings.ToLower(s[start:i])
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j < len(s) && s[j] == '=' && name != "" {
			i = j // name = value
		}
		if i >= len(s) || s[i] != '=' {
			if name == "" {
				i++ // a stray character: step over it
			}
			continue
		}
		i++ // past "="
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		var val string
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			k := strings.IndexByte(s[i+1:], q)
			if k < 0 {
				val, i = s[i+1:], len(s)
			} else {
				val, i = s[i+1:i+1+k], i+2+k
			}
		} else {
			start := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '>' {
				i++
			}
			val = s[start:i]
		}
		if _, dup := attrs[name]; !dup && name != "" {
			attrs[name] = decodeEntities(val)
		}
	}
	return attrs, i
}

func isTagByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	return strings.Index(strings.ToLower(s), strings.ToLower(sub))
}
