package links

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
)

// rej is an expected rejection: its line and a part of its reason.
type rej struct {
	line   int
	reason string
}

// scanCase is one table test of Scan: input, the links it must emit, the
// rejections it must report (in order) and the duplicates it must count.
type scanCase struct {
	name  string
	in    string
	opt   Options
	links []Link
	rejs  []rej
	dups  int
}

func l(line int, url string) Link { return Link{URL: url, Line: line} }

const (
	hexA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	hexB = "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"
)

func runScanCases(t *testing.T, cases []scanCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []Link
			sum, err := Scan(context.Background(), strings.NewReader(tc.in), tc.opt, func(l Link) error {
				got = append(got, l)
				return nil
			})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if !reflect.DeepEqual(got, tc.links) {
				t.Errorf("links:\n got %+v\nwant %+v", got, tc.links)
			}
			if len(sum.Rejected) != len(tc.rejs) || sum.RejectedCount != len(tc.rejs) {
				t.Fatalf("rejected %d (count %d), want %d: %+v", len(sum.Rejected), sum.RejectedCount, len(tc.rejs), sum.Rejected)
			}
			for i, want := range tc.rejs {
				r := sum.Rejected[i]
				if r.Line != want.line || !strings.Contains(r.Reason, want.reason) {
					t.Errorf("rejected[%d] = line %d %q (text %q), want line %d reason containing %q",
						i, r.Line, r.Reason, r.Text, want.line, want.reason)
				}
			}
			if sum.Duplicates != tc.dups {
				t.Errorf("duplicates = %d, want %d", sum.Duplicates, tc.dups)
			}
			if sum.Links != len(got) {
				t.Errorf("Summary.Links = %d, emitted %d", sum.Links, len(got))
			}
			if sum.Bytes != int64(len(tc.in)) {
				t.Errorf("Summary.Bytes = %d, want %d", sum.Bytes, len(tc.in))
			}
		})
	}
}

func TestScanPlainList(t *testing.T) {
	runScanCases(t, []scanCase{
		{name: "one per line, blank lines and comments ignored",
			in:    "http://a.example/1\n\n# a comment http://not.example/\n   \nhttps://b.example/2\n",
			links: []Link{l(1, "http://a.example/1"), l(5, "https://b.example/2")}},
		{name: "CRLF line endings",
			in:    "http://a.example/1\r\nhttp://a.example/2\r\n",
			links: []Link{l(1, "http://a.example/1"), l(2, "http://a.example/2")}},
		{name: "BOM and a last line without newline",
			in:    "\xEF\xBB\xBFhttp://a.example/1\nhttp://a.example/2",
			links: []Link{l(1, "http://a.example/1"), l(2, "http://a.example/2")}},
		{name: "only a BOM",
			in: "\xEF\xBB\xBF"},
		{name: "empty input",
			in: ""},
		{name: "surrounding spaces and an indented URL",
			in:    "  http://a.example/1  \n\thttp://a.example/2\n",
			links: []Link{l(1, "http://a.example/1"), l(2, "http://a.example/2")}},
		{name: "written as is: case, credentials, query, fragment, unicode path",
			in: "HTTPS://User:Pa%40ss@Files.Example:8443/A.iso?x=1#top\nhttps://de.example/Straße.pdf\n",
			links: []Link{l(1, "HTTPS://User:Pa%40ss@Files.Example:8443/A.iso?x=1#top"),
				l(2, "https://de.example/Straße.pdf")}},
		{name: "IPv6 host is not a pattern",
			in:    "http://[::1]:8080/a.iso\nhttp://[2001:db8::1]/b\n",
			links: []Link{l(1, "http://[::1]:8080/a.iso"), l(2, "http://[2001:db8::1]/b")}},
		{name: "a comment keeps a URL out",
			in: "#http://a.example/1\n  # http://a.example/2\n"},
	})
}

func TestScanProseAndHTML(t *testing.T) {
	runScanCases(t, []scanCase{
		{name: "bare URLs in a sentence lose trailing punctuation",
			in: "See http://x.example/a.zip, or (http://x.example/b.zip). Also https://x.example/c.iso!\n",
			links: []Link{l(1, "http://x.example/a.zip"), l(1, "http://x.example/b.zip"),
				l(1, "https://x.example/c.iso")}},
		{name: "prose without links is not rejected",
			in: "Hello world.\nNote: see below\nsetup.exe 12:30 README.md\n"},
		{name: "balanced brackets stay, unbalanced go",
			in: "[docs](https://x.example/wiki/Foo_(bar)) and [https://x.example/y]\n",
			links: []Link{l(1, "https://x.example/wiki/Foo_(bar)"),
				l(1, "https://x.example/y")}},
		{name: "quotes and angle brackets delimit",
			in:    "'http://x.example/a' \"http://x.example/b\" <http://x.example/c>\n",
			links: []Link{l(1, "http://x.example/a"), l(1, "http://x.example/b"), l(1, "http://x.example/c")}},
		{name: "href attribute with entities",
			in:    `<p><a href="http://x.example/get?id=1&amp;fmt=zip&#38;x=&#x41;">Download</a></p>` + "\n",
			links: []Link{l(1, "http://x.example/get?id=1&fmt=zip&x=A")}},
		{name: "link text repeating the href is a duplicate",
			in:    `<a href="http://x.example/a">http://x.example/a</a>` + "\n",
			links: []Link{l(1, "http://x.example/a")}, dups: 1},
		{name: "single-quoted and unquoted attributes",
			in:    "<img src='https://x.example/i.png'><a href=http://x.example/j.png>j</a>\n",
			links: []Link{l(1, "https://x.example/i.png"), l(1, "http://x.example/j.png")}},
		{name: "attribute continued on an indented line",
			in:    "<a class=\"dl\"\n   href=\"http://x.example/a.zip\">get</a>\n",
			links: []Link{l(2, "http://x.example/a.zip")}},
		{name: "entities are not decoded outside HTML",
			in:    "http://x.example/?a=1&amp;b=2 and http://x.example/?a=1&copy=2\n",
			links: []Link{l(1, "http://x.example/?a=1&amp;b=2"), l(1, "http://x.example/?a=1&copy=2")}},
		{name: "legacy entity without semicolon stays in HTML",
			in:    `<a href="http://x.example/?a=1&copy=2">` + "\n",
			links: []Link{l(1, "http://x.example/?a=1&copy=2")}},
		{name: "non-ASCII spaces and CJK punctuation end a URL",
			in:    "下载 http://x.example/a.jpg。更多 http://x.example/b.jpg\u00a0now\n",
			links: []Link{l(1, "http://x.example/a.jpg"), l(1, "http://x.example/b.jpg")}},
		{name: "a URL inside a longer word is not a link",
			in: "xhttp://x.example/a is odd\n"},
		{name: "a URL in a path stays part of it",
			in:    "https://web.archive.example/web/2020/https://x.example/a\n",
			links: []Link{l(1, "https://web.archive.example/web/2020/https://x.example/a")}},
		{name: "terminal escapes around a URL",
			in: "\x1b[32mhttp://x.example/a\x1b[0m\n\x1b]0;title\x07\x1b[1m# not a comment?\n" +
				"\x1b]8;;http://x.example/hidden\x1b\\http://x.example/b\x1b]8;;\x1b\\\n",
			links: []Link{l(1, "http://x.example/a"), l(3, "http://x.example/b")}},
		{name: "space inside an attribute value is malformed",
			in:   `<a href="http://x.example/my file.zip">` + "\n",
			rejs: []rej{{1, "contains a space"}}},
		{name: "space inside <URL> is malformed",
			in:   "<http://x.example/my file.zip>\n",
			rejs: []rej{{1, "contains a space"}}},
		{name: "a quoted phrase in prose ends at the space",
			in:    `He wrote "http://x.example/a is down" today` + "\n",
			links: []Link{l(1, "http://x.example/a")}},
		{name: "a bad URL in prose is rejected, the good one kept",
			in:    "try http:// or http://x.example/a\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs:  []rej{{1, "no host name"}}},
	})
}

func TestScanAria2(t *testing.T) {
	withOpts := func(line int, url, name, sum string) Link {
		return Link{URL: url, Line: line, Name: name, Checksum: sum}
	}
	runScanCases(t, []scanCase{
		{name: "options apply to the URL above",
			in: "http://x.example/a.iso\n  out=a.iso\n\tsha256=" + hexB + "\n" +
				"http://x.example/b.iso\n  checksum=sha-256=" + hexA + "\nhttp://x.example/c.iso\n",
			links: []Link{withOpts(1, "http://x.example/a.iso", "a.iso", "sha256="+strings.ToLower(hexB)),
				withOpts(4, "http://x.example/b.iso", "", "sha256="+hexA),
				l(6, "http://x.example/c.iso")}},
		{name: "blank lines and comments between a URL and its options",
			in:    "http://x.example/a.iso\n\n  # name it\n  out=my file.iso\n",
			links: []Link{withOpts(1, "http://x.example/a.iso", "my file.iso", "")}},
		{name: "TAB-separated mirrors: the first http(s) one",
			in:    "ftp://m1.example/a.iso\thttps://m2.example/a.iso\thttp://m3.example/a.iso\n  out=a.iso\n",
			links: []Link{withOpts(1, "https://m2.example/a.iso", "a.iso", "")}},
		{name: "TAB-separated mirrors without http(s)",
			in:   "ftp://m1.example/a.iso\tftp://m2.example/a.iso\n  out=a.iso\n",
			rejs: []rej{{1, `unsupported scheme "ftp"`}, {2, "line 1, which was rejected"}}},
		{name: "key in upper case",
			in:    "http://x.example/a\n  OUT=a.bin\n",
			links: []Link{withOpts(1, "http://x.example/a", "a.bin", "")}},
		{name: "unsupported options",
			in:    "http://x.example/a\n  dir=/etc\n  header=Authorization: Bearer s3cret\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs:  []rej{{2, `unsupported option "dir"`}, {3, `unsupported option "header"`}}},
		{name: "option line with no URL above",
			in:    "  out=a.bin\nhttp://x.example/a\n",
			links: []Link{l(2, "http://x.example/a")},
			rejs:  []rej{{1, "no link above it"}}},
		{name: "option line after prose",
			in:   "Some words here\n  out=a.bin\n",
			rejs: []rej{{2, "no link above it"}}},
		{name: "malformed options",
			in:    "http://x.example/a\n  =a.bin\n  out\n  out: a.bin\n  out=\n  checksum=" + hexA + "\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs: []rej{{2, "expected key=value"}, {3, "expected out=value"}, {4, "expected out=value"},
				{5, "needs a file name"}, {6, "expected checksum=sha-256=HEX"}}},
		{name: "bad checksums",
			in: "http://x.example/a\n  sha256=abc\n  sha256=" + hexA + "0\n  sha256=" + strings.Repeat("g", 64) +
				"\n  checksum=md5=d41d8cd98f00b204e9800998ecf8427e\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs: []rej{{2, "64 hexadecimal digits"}, {3, "64 hexadecimal digits"}, {4, "64 hexadecimal digits"},
				{5, `unsupported checksum algorithm "md5"`}}},
		{name: "out= must be a plain name",
			in:    "http://x.example/a\n  out=../../.bashrc\n  out=/etc/passwd\n  out=a\\b\n  out=..\n  out=gpj\u202e.exe\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs: []rej{{2, "not a path"}, {3, "not a path"}, {4, "not a path"}, {5, "not a path"},
				{6, "direction-changing"}}},
		{name: "an option given twice",
			in:    "http://x.example/a\n  out=a\n  out=b\n  sha256=" + hexA + "\n  checksum=sha-256=" + hexA + "\n",
			links: []Link{withOpts(1, "http://x.example/a", "a", "sha256="+hexA)},
			rejs:  []rej{{3, "already has an out= option"}, {5, "already has a checksum"}}},
		{name: "options after a rejected, a duplicate and a multi-link line",
			in: "ftp://x.example/a\n  out=a\nhttp://x.example/b\nhttp://x.example/b\n  out=b\n" +
				"http://x.example/c http://x.example/d\n  out=c\nhttp://x.example/e[1-2]\n  out=e\n",
			links: []Link{l(3, "http://x.example/b"), l(6, "http://x.example/c"), l(6, "http://x.example/d"),
				{URL: "http://x.example/e1", Line: 8, Pattern: "http://x.example/e[1-2]"},
				{URL: "http://x.example/e2", Line: 8, Pattern: "http://x.example/e[1-2]"}},
			dups: 1,
			rejs: []rej{{1, "unsupported scheme"}, {2, "line 1, which was rejected"},
				{5, "line 4, which repeats an earlier link"}, {7, "line 6: it holds 2 links"},
				{9, "line 8: it holds 2 links"}}},
		{name: "a pattern with one expansion takes options",
			in:    "http://x.example/{a}.iso\n  out=a.iso\n",
			links: []Link{withOpts(1, "http://x.example/a.iso", "a.iso", "")}},
		{name: "a URL cannot smuggle options",
			in: "http://x.example/a%0A%20%20out=evil\nhttp://x.example/b\r  out=evil\n" +
				"http://x.example/c\tdir=/etc\nhttp://x.example/d\n  out=d\n",
			links: []Link{l(1, "http://x.example/a%0A%20%20out=evil"), l(2, "http://x.example/b"),
				l(3, "http://x.example/c"), withOpts(4, "http://x.example/d", "d", "")}},
	})
}

func TestScanRejections(t *testing.T) {
	runScanCases(t, []scanCase{
		{name: "other schemes",
			in: "ok\nftp://x.example/a\nfile:///etc/passwd\njavascript:alert(1)\ndata:text/html,<b>hi</b>\n" +
				"mailto:me@x.example\n<ftp://x.example/b>\nmagnet:?xt=urn:btih:abc\nftp://a.example/1 sftp://b.example/2\n",
			rejs: []rej{{2, `unsupported scheme "ftp": only http and https links can be downloaded`},
				{3, `unsupported scheme "file"`}, {4, `unsupported scheme "javascript"`},
				{5, `unsupported scheme "data"`}, {6, `unsupported scheme "mailto"`},
				{7, `unsupported scheme "ftp"`}, {8, `unsupported scheme "magnet"`},
				{9, `unsupported scheme "ftp"`}, {9, `unsupported scheme "sftp"`}}},
		{name: "other schemes in prose are ignored",
			in: "Mirror: ftp://x.example/a or mail mailto:me@x.example\n"},
		{name: "malformed http(s) URLs",
			in: "http://\nhttps:///path\nhttp://x.example:99999/a\nhttp://x.example:0/a\nhttp://x.example:abc/a\n" +
				"http://x.example/%zz\nhttp://[::1/a\nhttp:/x.example/a\nhttps:x.example\nhttp://{a,b}.example/\n" +
				"http://:80/a\n",
			rejs: []rej{{1, "malformed URL: it has no host name"}, {2, "no host name"},
				{3, "port must be a number from 1 to 65535"}, {4, "port must be"}, {5, "port must be"},
				{6, `invalid percent-escape "%zz"`}, {7, "malformed URL"}, {8, "must be followed by //"},
				{9, "must be followed by //"}, {10, "malformed URL"}, {11, "no host name"}}},
		{name: "invisible characters",
			in:   "http://x.example/\u202egpj.exe\nhttp://x.example/a\u200bb\n",
			rejs: []rej{{1, "invisible or direction-changing"}, {2, "invisible or direction-changing"}}},
		{name: "invalid UTF-8",
			in:   "http://x.example/\xff\xfe.bin\n",
			rejs: []rej{{1, "not valid UTF-8"}}},
		{name: "links without a scheme",
			in: "example.com/a.jpg\nwww.example.com\n//cdn.example.com/a.js\nlocalhost:8080/a\n" +
				"192.168.1.1/f.bin\nexample.com:8080\n",
			rejs: []rej{{1, "not a link: it needs http:// or https://"}, {2, "not a link"}, {3, "not a link"},
				{4, "not a link"}, {5, "not a link"}, {6, "not a link"}}},
		{name: "patterns that expand too far or are malformed",
			in: "http://x.example/[1-20000]\nhttp://x.example/a[1-3\nhttp://x.example/[3-1]\nhttp://x.example/a]b\n" +
				"http://x.example/?a[]=1\nhttp://x.example/{a,%zz}\n",
			rejs: []rej{{1, "more than 10000 links"}, {2, `"[" is never closed`}, {3, "reversed"},
				{4, `"]" has no opening "["`}, {5, "is not a range"}, {6, "invalid percent-escape"}}},
		{name: "MaxExpand",
			in:   "http://x.example/[1-3]\n",
			opt:  Options{MaxExpand: 2},
			rejs: []rej{{1, "more than 2 links"}}},
		{name: "line longer than the limit in the middle",
			in:    "http://x.example/1\n" + strings.Repeat("x", 10000) + "\nhttp://x.example/3\n",
			links: []Link{l(1, "http://x.example/1"), l(3, "http://x.example/3")},
			rejs:  []rej{{2, "line is longer than 8 KiB"}}},
		{name: "last line too long, no newline",
			in:    "http://x.example/1\n" + strings.Repeat("x", 9000),
			links: []Link{l(1, "http://x.example/1")},
			rejs:  []rej{{2, "line is longer than 8 KiB"}}},
		{name: "small MaxLineBytes: the limit counts the text, not CRLF",
			in:    "http://x.example/" + strings.Repeat("a", 83) + "\r\nhttp://x.example/" + strings.Repeat("b", 84) + "\r\nhttp://x.example/c\r\n",
			opt:   Options{MaxLineBytes: 100},
			links: []Link{l(1, "http://x.example/"+strings.Repeat("a", 83)), l(3, "http://x.example/c")},
			rejs:  []rej{{2, "line is longer than 100 bytes"}}},
		{name: "a too-long line between a URL and its options",
			in:    "http://x.example/a\n" + strings.Repeat("y", 9000) + "\n  out=a\n",
			links: []Link{l(1, "http://x.example/a")},
			rejs:  []rej{{2, "longer than"}, {3, "line 2, which was rejected"}}},
	})
}

func TestScanPatterns(t *testing.T) {
	// lp is a link expanded from a pattern.
	lp := func(line int, url, pattern string) Link { return Link{URL: url, Line: line, Pattern: pattern} }
	const f13, ab, p89 = "http://x.example/f[1-3].jpg", "http://x.example/{a,b}[01-02]", "http://x.example/p[8-9].png"
	runScanCases(t, []scanCase{
		{name: "range",
			in: f13 + "\n",
			links: []Link{lp(1, "http://x.example/f1.jpg", f13), lp(1, "http://x.example/f2.jpg", f13),
				lp(1, "http://x.example/f3.jpg", f13)}},
		{name: "several patterns multiply, in order",
			in: ab + "\n",
			links: []Link{lp(1, "http://x.example/a01", ab), lp(1, "http://x.example/a02", ab),
				lp(1, "http://x.example/b01", ab), lp(1, "http://x.example/b02", ab)}},
		{name: "patterns in prose",
			in:    "Get " + p89 + ".\n",
			links: []Link{lp(1, "http://x.example/p8.png", p89), lp(1, "http://x.example/p9.png", p89)}},
		{name: "duplicates inside and across patterns",
			in:    "http://x.example/{a,a}\nhttp://x.example/[a-b]\n",
			links: []Link{lp(1, "http://x.example/a", "http://x.example/{a,a}"), lp(2, "http://x.example/b", "http://x.example/[a-b]")},
			dups:  2},
		{name: "IPv6 host with a pattern in the path",
			in:    "http://[::1]:8080/f[1-2]\n",
			links: []Link{lp(1, "http://[::1]:8080/f1", "http://[::1]:8080/f[1-2]"), lp(1, "http://[::1]:8080/f2", "http://[::1]:8080/f[1-2]")}},
		{name: "a pattern with a password is shown redacted",
			in:    "http://u:secret@x.example/[1-2]\n",
			links: []Link{lp(1, "http://u:secret@x.example/1", "http://u:xxxxx@x.example/[1-2]"), lp(1, "http://u:secret@x.example/2", "http://u:xxxxx@x.example/[1-2]")}},
	})
}

func TestScanDuplicates(t *testing.T) {
	runScanCases(t, []scanCase{
		{name: "scheme, host, default port and fragment",
			in: "http://X.Example:80/a\nhttp://x.example/a\nHTTP://x.example/a#frag\nhttps://x.example:443/a\n" +
				"https://x.example/a\nhttp://x.example/A\nhttp://x.example:8080/a\n",
			links: []Link{l(1, "http://X.Example:80/a"), l(4, "https://x.example:443/a"),
				l(6, "http://x.example/A"), l(7, "http://x.example:8080/a")},
			dups: 3},
		{name: "empty path and empty port",
			in:    "http://x.example\nhttp://x.example/\nhttp://x.example:/\n",
			links: []Link{l(1, "http://x.example")},
			dups:  2},
		{name: "credentials make a different link",
			in:    "http://u:p@x.example/a\nhttp://x.example/a\n",
			links: []Link{l(1, "http://u:p@x.example/a"), l(2, "http://x.example/a")}},
	})
}

func TestRejectedTextIsDisplaySafe(t *testing.T) {
	in := strings.Join([]string{
		"ftp://alice:hunter2@x.example/a",
		"http://bob:hunter2@x.example:99999/a",
		"ftp://x.example/\x1b[31mred\x1b[0m\u202eexe.jpg",
		"ftp://x.example/" + strings.Repeat("é", 300),
		"http://carol:hunter2@x.example/\x1b[1m" + strings.Repeat("z", 9000),
		"http://x.example/a",
		"  http-passwd=hunter2",
		"  header=Cookie: hunter2",
	}, "\n")
	_, sum := Parse(in)
	if sum.RejectedCount != 7 {
		t.Fatalf("rejected %d, want 7: %+v", sum.RejectedCount, sum.Rejected)
	}
	for _, r := range sum.Rejected {
		if strings.Contains(r.Text, "hunter2") || strings.Contains(r.Reason, "hunter2") {
			t.Errorf("line %d leaks a password: %q / %q", r.Line, r.Text, r.Reason)
		}
		if n := len([]rune(r.Text)); n > maxTextRunes {
			t.Errorf("line %d: text is %d runes long", r.Line, n)
		}
		if strings.ContainsFunc(r.Text, unsafeRune) || strings.ContainsFunc(r.Reason, unsafeRune) {
			t.Errorf("line %d: unsafe characters in %q / %q", r.Line, r.Text, r.Reason)
		}
	}
	if got, want := sum.Rejected[0].Text, "ftp://alice:xxxxx@x.example/a"; got != want {
		t.Errorf("redacted text = %q, want %q", got, want)
	}
	if got, want := sum.Rejected[2].Text, `ftp://x.example/red\u202eexe.jpg`; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if got := sum.Rejected[3].Text; !strings.HasSuffix(got, "…") {
		t.Errorf("long text not marked as cut: %q", got)
	}
	if got := sum.Rejected[4].Text; !strings.HasPrefix(got, `http://carol:xxxxx@x.example/\x1b[1mzzz`) {
		t.Errorf("long line excerpt = %q", got)
	}
	if got := sum.Rejected[5].Text; got != "http-passwd=…" {
		t.Errorf("unsupported option text = %q, want the value hidden", got)
	}
}

func TestDisplaySafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\there", "tab here"},
		{"esc\x1b[0m", `esc\x1b[0m`},
		{"nul\x00", `nul\x00`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"rtl\u202eoverride", `rtl\u202eoverride`},
		{"zero\u200bwidth\ufeff", `zero\u200bwidth\ufeff`},
		{"line\u2028sep", `line\u2028sep`},
		{"c1\u0085", `c1\u0085`},
		{strings.Repeat("a", 10), "aaaa…"},
		{"ab\x1b", `ab\x…`},
	}
	for _, tc := range tests {
		limit := maxTextRunes
		if len(tc.want) < len(tc.in) || strings.HasSuffix(tc.want, "…") {
			limit = 5
		}
		if got := displaySafe(tc.in, limit); got != tc.want {
			t.Errorf("displaySafe(%q, %d) = %q, want %q", tc.in, limit, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		in   string
		cut  bool
		want string
	}{
		{"http://x.example/a", false, "http://x.example/a"},
		{"http://u:p@x.example/a", false, "http://u:xxxxx@x.example/a"},
		{"http://u@x.example/a", false, "http://u@x.example/a"},
		{"http://u:p@ss@x.example/", false, "http://u:xxxxx@x.example/"},
		{"a http://u:1@x.example b ftp://v:2@y.example/", false, "a http://u:xxxxx@x.example b ftp://v:xxxxx@y.example/"},
		{"http://x.example:8080", false, "http://x.example:8080"},
		{"http://user:secr", true, "http://user:xxxxx"},
		{"http://x.example/a:b", true, "http://x.example/a:b"},
		{"://", false, "://"},
	}
	for _, tc := range tests {
		if got := redact(tc.in, tc.cut); got != tc.want {
			t.Errorf("redact(%q, %v) = %q, want %q", tc.in, tc.cut, got, tc.want)
		}
	}
}

func TestScanBinary(t *testing.T) {
	latin1 := "Caf\xe9 cr\xe8me: http://x.example/a\n" + strings.Repeat("plain text line\n", 10)
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"NUL byte", "http://x.example/a\n\x00\x01\x02", ErrBinary},
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrBinary},
		{"UTF-16 text", "\xff\xfeh\x00t\x00t\x00p\x00", ErrBinary},
		{"invalid UTF-8 without NUL", strings.Repeat("\xff\xfe\x80\x81 a", 100), ErrBinary},
		{"control characters", strings.Repeat("\x01\x02\x03\x04ab", 100), ErrBinary},
		{"a little Latin-1 is text", latin1, nil},
		{"NUL after the first 8 KiB", strings.Repeat("http://x.example/a\n", 500) + "\x00\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			_, err := Scan(context.Background(), strings.NewReader(tc.in), Options{}, func(Link) error { n++; return nil })
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want != nil && n != 0 {
				t.Errorf("emitted %d links from binary input", n)
			}
		})
	}
	t.Run("NUL in the first 8 KiB of a trickling reader", func(t *testing.T) {
		in := "text line\n" + strings.Repeat("more text\n", 50) + "\x00"
		_, err := Scan(context.Background(), iotest.OneByteReader(strings.NewReader(in)), Options{}, func(Link) error { return nil })
		if !errors.Is(err, ErrBinary) {
			t.Fatalf("err = %v, want ErrBinary", err)
		}
	})
	t.Run("Parse takes pasted text as text", func(t *testing.T) {
		links, sum := Parse("http://x.example/a\n\x00\x01\nhttp://x.example/b")
		if len(links) != 2 || sum.Lines != 3 {
			t.Fatalf("links %v, summary %+v", links, sum)
		}
	})
}

func TestScanTrickleMatchesWhole(t *testing.T) {
	in := "\xEF\xBB\xBFhttp://x.example/a\r\n  out=a\n" + strings.Repeat("w", 9000) + "\nSee http://x.example/b.\nhttp://x.example/[1-3]"
	collect := func(r interface{ Read([]byte) (int, error) }) ([]Link, Summary) {
		var got []Link
		sum, err := Scan(context.Background(), r, Options{}, func(l Link) error { got = append(got, l); return nil })
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		return got, sum
	}
	want, wantSum := collect(strings.NewReader(in))
	got, gotSum := collect(iotest.OneByteReader(strings.NewReader(in)))
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotSum, wantSum) {
		t.Fatalf("one byte at a time:\n%+v %+v\nwhole:\n%+v %+v", got, gotSum, want, wantSum)
	}
	if len(want) != 5 || want[0].Name != "a" || wantSum.RejectedCount != 1 || wantSum.Lines != 5 {
		t.Fatalf("unexpected result %+v %+v", want, wantSum)
	}
}

func TestScanEmitError(t *testing.T) {
	stop := errors.New("stop here")
	n := 0
	sum, err := Scan(context.Background(), strings.NewReader("http://x.example/[1-100]\nhttp://x.example/b\n"), Options{},
		func(Link) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want %v", err, stop)
	}
	if n != 3 || sum.Links != 3 {
		t.Fatalf("emit called %d times, Summary.Links %d; want 3", n, sum.Links)
	}
}

func TestScanMaxRejected(t *testing.T) {
	in := strings.Repeat("ftp://x.example/a\n", 5)
	for _, tc := range []struct{ max, kept int }{{0, 5}, {2, 2}, {-1, 0}} {
		sum, err := Scan(context.Background(), strings.NewReader(in), Options{MaxRejected: tc.max}, func(Link) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Rejected) != tc.kept || sum.RejectedCount != 5 {
			t.Errorf("MaxRejected %d: kept %d, counted %d; want %d, 5", tc.max, len(sum.Rejected), sum.RejectedCount, tc.kept)
		}
	}
}

func TestScanProgress(t *testing.T) {
	in := strings.Repeat("http://x.example/a/b/c/d\n", 20000) // 500 000 bytes
	var calls []int64
	lastLines := 0
	sum, err := Scan(context.Background(), strings.NewReader(in), Options{Progress: func(b int64, lines int) {
		calls = append(calls, b)
		lastLines = lines
	}}, func(Link) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 5 || len(calls) > 10 {
		t.Fatalf("progress called %d times for %d bytes", len(calls), len(in))
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] <= calls[i-1] {
			t.Fatalf("progress went backwards: %v", calls)
		}
	}
	if calls[len(calls)-1] != sum.Bytes || lastLines != sum.Lines || sum.Lines != 20000 {
		t.Fatalf("last progress %d bytes %d lines, summary %+v", calls[len(calls)-1], lastLines, sum)
	}
}

func TestScanCanceled(t *testing.T) {
	t.Run("before it starts", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		n := 0
		_, err := Scan(ctx, strings.NewReader("http://x.example/a\n"), Options{}, func(Link) error { n++; return nil })
		if !errors.Is(err, context.Canceled) || n != 0 {
			t.Fatalf("err %v, %d links", err, n)
		}
	})
	t.Run("while emitting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		gen := &genReader{n: 10_000_000, line: func(i int) string { return "http://x.example/" + strconv.Itoa(i) }}
		n := 0
		sum, err := Scan(ctx, gen, Options{}, func(Link) error {
			if n++; n == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if sum.Lines > 10+2*ctxCheckLines {
			t.Fatalf("read %d lines after cancel", sum.Lines)
		}
	})
	t.Run("inside a pattern", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		_, err := Scan(ctx, strings.NewReader("http://x.example/[1-10000]\n"), Options{}, func(Link) error {
			if n++; n == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || n > 10+ctxCheckLines {
			t.Fatalf("err %v after %d links", err, n)
		}
	})
	t.Run("inside an endless line", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		gen := &genReader{n: 1, line: func(int) string { return "" }, longAt: 0, longLen: 1 << 62}
		sum, err := Scan(ctx, gen, Options{Progress: func(b int64, _ int) {
			if b > 1<<20 {
				cancel()
			}
		}}, func(Link) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if sum.Bytes > 4<<20 {
			t.Fatalf("read %d bytes after cancel", sum.Bytes)
		}
	})
}

func TestScanReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	// Line 2 is complete, but its option lines may be missing: it is not
	// emitted.
	r := &failReader{data: "http://x.example/a\nhttp://x.example/b\n  out=b\nhttp://x.exa", err: boom}
	var got []Link
	sum, err := Scan(context.Background(), r, Options{}, func(l Link) error { got = append(got, l); return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if want := []Link{l(1, "http://x.example/a")}; !reflect.DeepEqual(got, want) {
		t.Fatalf("links before the error: %+v, want %+v", got, want)
	}
	if sum.Lines != 3 {
		t.Fatalf("lines before the error: %d", sum.Lines)
	}
}

// failReader returns data, then err.
type failReader struct {
	data string
	err  error
}

func (r *failReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestParse(t *testing.T) {
	links, sum := Parse("http://x.example/a\nftp://x.example/b\nhttp://x.example/a\n")
	want := []Link{l(1, "http://x.example/a")}
	if !reflect.DeepEqual(links, want) {
		t.Fatalf("links = %+v, want %+v", links, want)
	}
	if sum.Lines != 3 || sum.Links != 1 || sum.Duplicates != 1 || sum.RejectedCount != 1 {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestLinkReason(t *testing.T) {
	tests := []struct{ tok, want string }{
		{"hello", ""},
		{"Note:", ""},
		{"re:subject", ""},
		{"C:\\Windows", ""},
		{"C:/Windows/x", ""},
		{"setup.exe", ""},
		{"v1.2/notes", ""},
		{"e.g./x", ""},
		{"1.5/2", ""},
		{"user@example.com", ""},
		{"example.com/a.jpg", notALink},
		{"(www.example.com).", notALink},
		{"10.0.0.1:8080", notALink},
		{"FTP://x", unsupportedScheme("ftp")},
		{"xhttp://x", unsupportedScheme("xhttp")},
		{"tel:+123", unsupportedScheme("tel")},
	}
	for _, tc := range tests {
		if got := linkReason(tc.tok); got != tc.want {
			t.Errorf("linkReason(%q) = %q, want %q", tc.tok, got, tc.want)
		}
	}
}

func TestLooksHTMLAndNoControlInLinks(t *testing.T) {
	for _, s := range []string{"<a href=x>", "</p>", "<!-- c -->", "a <b> c"} {
		if !looksHTML(s) {
			t.Errorf("looksHTML(%q) = false", s)
		}
	}
	for _, s := range []string{"a < b", "x<3", "<", "1 <= 2"} {
		if looksHTML(s) {
			t.Errorf("looksHTML(%q) = true", s)
		}
	}
	links, _ := Parse(`<a href="http://x.example/a&#10;b">` + "\n" + `<a href="http://x.example/c&#x202e;d">`)
	for _, l := range links {
		if strings.ContainsFunc(l.URL, func(r rune) bool { return unicode.IsControl(r) || unsafeRune(r) }) {
			t.Errorf("link with control characters: %q", l.URL)
		}
	}
}

func TestTrimTail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://x/a.", "http://x/a"},
		{"http://x/a.,;:!?'\"*", "http://x/a"},
		{"http://x/a)", "http://x/a"},
		{"http://x/(a)", "http://x/(a)"},
		{"http://x/(a))", "http://x/(a)"},
		{"http://x/(a)).", "http://x/(a)"},
		{"http://x/a]]", "http://x/a"},
		{"http://x/[1-2]", "http://x/[1-2]"},
		{"http://x/{a,b}}", "http://x/{a,b}"},
		{"http://x/a)" + strings.Repeat(")", 1000), "http://x/a"},
		{"http://...", "http://"},
		{"https://):", "https://"},
	}
	for _, tc := range tests {
		if got := trimTail(tc.in); got != tc.want {
			t.Errorf("trimTail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
