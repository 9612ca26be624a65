package links

import "testing"

func TestRedactForMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://x.example/a", "http://x.example/a"},
		{"http://u:secret@x.example/a", "http://u:xxxxx@x.example/a"},
		{"http://u@x.example/a", "http://u@x.example/a"},
		{"https://u:p@ss@x.example/", "https://u:xxxxx@x.example/"},
		{"http://u:secret@x.example/a b%zz", "http://u:xxxxx@x.example/a b%zz"}, // does not parse
		{"see http://u:secret@x.example and more", "see http://u:xxxxx@x.example and more"},
		{"not a url", "not a url"},
	}
	for _, tc := range tests {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
