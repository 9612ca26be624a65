package store

import (
	"testing"
)

// A value kept beside the downloads (the schedule) survives a reopen,
// reads as nil when never written, and the format marker cannot be
// read or overwritten through it.
func TestMetaValuesAreKeptAndTheFormatIsNotTheirs(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.GetMeta("schedule"); err != nil || v != nil {
		t.Fatalf("a value never written = %q, %v; want nil", v, err)
	}
	if err := s.PutMeta("schedule", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMeta("format", []byte("99")); err == nil {
		t.Error("the format marker was overwritten")
	}
	if _, err := s.GetMeta("format"); err == nil {
		t.Error("the format marker was read as a value")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatalf("reopening after PutMeta: %v", err)
	}
	defer s.Close()
	if v, err := s.GetMeta("schedule"); err != nil || string(v) != `{"a":1}` {
		t.Errorf("after a reopen the value is %q, %v", v, err)
	}
	if s.Notice() != "" {
		t.Errorf("a value beside the downloads made the store look corrupt: %s", s.Notice())
	}
}
