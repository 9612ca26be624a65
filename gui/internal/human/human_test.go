package human

import (
	"math"
	"testing"
	"time"
)

func TestBytes(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{-1, "unknown"},
		{0, "0 B"},
		{999, "999 B"},
		{1023, "1023 B"},
		{1024, "1.00 KiB"},
		{1536, "1.50 KiB"},
		{10 * 1024, "10.0 KiB"},
		{1023 * 1024, "1023 KiB"},
		{1024*1024 - 1, "1.00 MiB"},
		{12_900_000, "12.3 MiB"},
		{40 << 20, "40.0 MiB"},
		{150 << 30, "150 GiB"},
		{math.MaxInt64, "8.00 EiB"},
	}
	for _, c := range cases {
		if got := Bytes(c.n); got != c.want {
			t.Errorf("Bytes(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestSpeed(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0 B/s"},
		{-5, "0 B/s"},
		{math.NaN(), "0 B/s"},
		{512.4, "512 B/s"},
		{2.2e6, "2.10 MiB/s"},
		{math.Inf(1), "4.00 EiB/s"},
	}
	for _, c := range cases {
		if got := Speed(c.v); got != c.want {
			t.Errorf("Speed(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestProgress(t *testing.T) {
	if got, want := Progress(12_900_000, 40<<20), "12.3 MiB of 40.0 MiB"; got != want {
		t.Errorf("Progress = %q, want %q", got, want)
	}
	if got, want := Progress(2048, -1), "2.00 KiB of unknown size"; got != want {
		t.Errorf("Progress unknown = %q, want %q", got, want)
	}
}

func TestDuration(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{-1, ""},
		{0, "0 s"},
		{1500 * time.Millisecond, "2 s"},
		{59 * time.Second, "59 s"},
		{60 * time.Second, "1 min"},
		{200 * time.Second, "3 min 20 s"},
		{2*time.Hour + 5*time.Minute + 10*time.Second, "2 h 5 min"},
		{3*24*time.Hour + 4*time.Hour, "3 d 4 h"},
	}
	for _, c := range cases {
		if got := Duration(c.d); got != c.want {
			t.Errorf("Duration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
