package links

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		pattern string
		max     int
		want    []string
	}{
		{"http://x/a.jpg", 10, []string{"http://x/a.jpg"}},
		{"http://x/[1-3].jpg", 10, []string{"http://x/1.jpg", "http://x/2.jpg", "http://x/3.jpg"}},
		{"http://x/[8-11]", 10, []string{"http://x/8", "http://x/9", "http://x/10", "http://x/11"}},
		{"http://x/[001-003]", 10, []string{"http://x/001", "http://x/002", "http://x/003"}},
		{"http://x/[098-101]", 10, []string{"http://x/098", "http://x/099", "http://x/100", "http://x/101"}},
		{"http://x/[0-100:50]", 10, []string{"http://x/0", "http://x/50", "http://x/100"}},
		{"http://x/[0-9:4]", 10, []string{"http://x/0", "http://x/4", "http://x/8"}},
		{"http://x/[5-5]", 10, []string{"http://x/5"}},
		{"http://x/[a-c]", 10, []string{"http://x/a", "http://x/b", "http://x/c"}},
		{"http://x/[A-E:2]", 10, []string{"http://x/A", "http://x/C", "http://x/E"}},
		{"http://x/a.{jpg,png}", 10, []string{"http://x/a.jpg", "http://x/a.png"}},
		{"http://x/photo{,s}", 10, []string{"http://x/photo", "http://x/photos"}},
		{"http://x/{a}", 10, []string{"http://x/a"}},
		{"http://x/{a,b}/[1-2]", 10, []string{"http://x/a/1", "http://x/a/2", "http://x/b/1", "http://x/b/2"}},
		{"http://x/?q={a,b}#[1-1]", 10, []string{"http://x/?q=a#1", "http://x/?q=b#1"}},
		{"http://[::1]:8080/[1-2]", 10, []string{"http://[::1]:8080/1", "http://[::1]:8080/2"}},
		{"http://[::1]:8080", 10, []string{"http://[::1]:8080"}},
		{"http://{a,b}.x/", 10, []string{"http://{a,b}.x/"}}, // patterns only after the host
		{"[1-2]/x", 10, []string{"1/x", "2/x"}},              // no scheme: the whole text
	}
	for _, tc := range tests {
		got, err := Expand(tc.pattern, tc.max)
		if err != nil {
			t.Errorf("Expand(%q, %d): %v", tc.pattern, tc.max, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Expand(%q, %d) = %q, want %q", tc.pattern, tc.max, got, tc.want)
		}
	}
}

func TestExpandLimit(t *testing.T) {
	tests := []struct {
		pattern   string
		max, want int
	}{
		{"http://x/[1-100]", 100, 100},
		{"http://x/[1-10][a-j]", 100, 100},
		{"http://x/[1-10000]", 0, DefaultMaxExpand},
		{"http://x/[1-10000]", -1, DefaultMaxExpand},
	}
	for _, tc := range tests {
		got, err := Expand(tc.pattern, tc.max)
		if err != nil || len(got) != tc.want {
			t.Errorf("Expand(%q, %d) = %d URLs, %v; want %d", tc.pattern, tc.max, len(got), err, tc.want)
		}
	}
	if _, err := Expand("http://x/[1-10001]", 0); err == nil {
		t.Errorf("Expand beyond the default limit: no error")
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		pattern string
		max     int
		want    string
	}{
		{"http://x/[1-3", 10, `"[" is never closed`},
		{"http://x/{a,b", 10, `"{" is never closed`},
		{"http://x/a]", 10, `"]" has no opening "["`},
		{"http://x/a}", 10, `"}" has no opening "{"`},
		{"http://x/[1-{2}]", 10, "cannot be nested"},
		{"http://x/[1-2}", 10, `"[" is closed by "}"`},
		{"http://x/[3-1]", 10, "reversed"},
		{"http://x/[c-a]", 10, "reversed"},
		{"http://x/[1-3:0]", 10, "at least 1"},
		{"http://x/[1-3:x]", 10, "is not a range"},
		{"http://x/[1-3:-1]", 10, "is not a range"},
		{"http://x/[]", 10, "is not a range"},
		{"http://x/[abc]", 10, "is not a range"},
		{"http://x/[-1-3]", 10, "is not a range"},
		{"http://x/[a-Z]", 10, "is not a range"},
		{"http://x/[a-9]", 10, "is not a range"},
		{"http://x/[ab-cd]", 10, "is not a range"},
		{"http://x/[1-1000000000000000000]", 10, "too large"},
		{"http://x/{}", 10, "no alternatives"},
		{"http://x/[1-11]", 10, "more than 10 links"},
		{"http://x/[1-4][1-4]", 15, "more than 15 links"},
		{"http://x/[1-999999999999999999][1-999999999999999999]", 10, "more than 10 links"},
	}
	for _, tc := range tests {
		got, err := Expand(tc.pattern, tc.max)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Expand(%q, %d) = %d URLs, error %v; want an error containing %q", tc.pattern, tc.max, len(got), err, tc.want)
		}
	}
}

func TestAfterHost(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"http://x/a", 8},
		{"http://x?a", 8},
		{"http://x", 8},
		{"http://[::1]:80/a", 15},
		{"ht-tp+s.1://x/", 13},
		{"1http://x/", 0},
		{"/a/http://x/", 0},
		{"x", 0},
	}
	for _, tc := range tests {
		if got := afterHost(tc.in); got != tc.want {
			t.Errorf("afterHost(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
