package human

import (
	"errors"
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
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{10 * 1024, "10.0 KiB"},
		{300 * 1024, "300 KiB"},
		{99*1024 + 1000, "100 KiB"},
		{1023 * 1024, "1023 KiB"},
		{1023*1024 + 512, "1.0 MiB"},
		{1<<20 - 1, "1.0 MiB"},
		{3 << 19, "1.5 MiB"},
		{12_900_000, "12.3 MiB"},
		{40 << 20, "40.0 MiB"},
		{1<<30 - 1<<20, "1023 MiB"},
		{1<<30 - 1, "1.0 GiB"},
		{150 << 30, "150 GiB"},
		{1 << 40, "1.0 TiB"},
		{1<<62 + 1<<61, "6.0 EiB"},
		{math.MaxInt64, "8.0 EiB"},
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
		{300 * 1024, "300 KiB/s"},
		{2.9 * (1 << 20), "2.9 MiB/s"},
		{2.2e6, "2.1 MiB/s"},
		{math.Inf(1), "4.0 EiB/s"},
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
	if got, want := Progress(2048, -1), "2.0 KiB of unknown size"; got != want {
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

func TestElapsed(t *testing.T) {
	if got := Elapsed(4200 * time.Millisecond); got != "4.2 s" {
		t.Errorf("Elapsed(4.2s) = %q", got)
	}
	if got := Elapsed(187 * time.Second); got != "3 min 7 s" {
		t.Errorf("Elapsed(187s) = %q", got)
	}
}

func TestParseBytes(t *testing.T) {
	good := map[string]int64{
		"100000":  100000,
		"500K":    500 * 1024,
		"500k":    500 * 1024,
		"2M":      2 << 20,
		"1.5M":    3 << 19,
		"1G":      1 << 30,
		"2MiB":    2 << 20,
		"300KB":   300 * 1024,
		" 10K ":   10 * 1024,
		"0":       0,
		"0.5K":    512,
		"1.25K":   1280,
		"100000B": 100000,
	}
	for in, want := range good {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "K", "fast", "-1", "-5K", "1e6", "0x10", "inf", "NaN", "2T", "1,5M", "5 M M", "99999999999999G"} {
		if got, err := ParseBytes(in); !errors.Is(err, ErrNotSize) {
			t.Errorf("ParseBytes(%q) = %d, %v; want ErrNotSize", in, got, err)
		}
	}
}
