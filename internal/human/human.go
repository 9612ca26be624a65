// Package human writes sizes, speeds and durations the way a person reads
// them, the same in the window and on the terminal: "1.5 MiB",
// "300 KiB/s", "3 min 20 s". It also reads sizes people write ("500K",
// "1.5M").
package human

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var units = [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// Bytes formats a size in binary units, with one decimal below 100:
// "512 B", "1.5 MiB", "12.3 MiB", "300 KiB", "1.0 GiB". A negative size
// is "unknown".
func Bytes(n int64) string {
	if n < 0 {
		return "unknown"
	}
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n) / 1024
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if v < 99.95 {
		return fmt.Sprintf("%.1f %s", v, units[u])
	}
	if v >= 1023.5 && u < len(units)-1 { // rounds up to the next unit
		return "1.0 " + units[u+1]
	}
	return fmt.Sprintf("%.0f %s", v, units[u])
}

// Speed formats bytes per second: "0 B/s", "850 KiB/s", "2.1 MiB/s".
func Speed(bytesPerSec float64) string {
	if bytesPerSec < 0 || math.IsNaN(bytesPerSec) {
		bytesPerSec = 0
	}
	if bytesPerSec > math.MaxInt64/2 {
		bytesPerSec = math.MaxInt64 / 2
	}
	return Bytes(int64(bytesPerSec+0.5)) + "/s"
}

// Progress formats how much of a file has arrived: "12.3 MiB of 40.0 MiB",
// or "12.3 MiB of unknown size" when total is negative.
func Progress(received, total int64) string {
	if total < 0 {
		return Bytes(received) + " of unknown size"
	}
	return Bytes(received) + " of " + Bytes(total)
}

// Duration formats a time left with its two largest units, rounded up
// so a countdown never shows "0 s" early: "45 s", "3 min 20 s",
// "2 h 5 min", "3 d 4 h". A negative duration is "".
func Duration(d time.Duration) string {
	if d < 0 {
		return ""
	}
	s := int64(math.Ceil(d.Seconds()))
	const (
		minute = 60
		hour   = 60 * minute
		day    = 24 * hour
	)
	switch {
	case s < minute:
		return fmt.Sprintf("%d s", s)
	case s < hour:
		return twoUnits(s/minute, "min", s%minute, "s")
	case s < day:
		return twoUnits(s/hour, "h", s%hour/minute, "min")
	default:
		return twoUnits(s/day, "d", s%day/hour, "h")
	}
}

func twoUnits(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d %s", a, ua)
	}
	return fmt.Sprintf("%d %s %d %s", a, ua, b, ub)
}

// Elapsed formats how long something took: "4.2 s" under a minute, as
// Duration above.
func Elapsed(d time.Duration) string {
	if d >= 0 && d < time.Minute {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return Duration(d)
}

// ErrNotSize is returned by ParseBytes for text that is not a size.
var ErrNotSize = errors.New("not a size in bytes")

// ParseBytes reads a size as people write it: "100000", "500K", "1.5M",
// "2G" (K = 1024; a trailing "B" or "iB" is allowed; case does not
// matter). A fraction of a byte is rounded to the nearest byte. It
// returns ErrNotSize for anything else, including negative sizes,
// exponents, hexadecimal and sizes beyond int64.
func ParseBytes(s string) (int64, error) {
	low := strings.ToLower(strings.TrimSpace(s))
	low = strings.TrimSuffix(low, "ib")
	low = strings.TrimSuffix(low, "b")
	mult := 1.0
	if low != "" {
		switch low[len(low)-1] {
		case 'k':
			mult = 1 << 10
		case 'm':
			mult = 1 << 20
		case 'g':
			mult = 1 << 30
		}
		if mult != 1 {
			low = low[:len(low)-1]
		}
	}
	if low == "" || strings.ContainsAny(low, "+-eEpPxX_") {
		return 0, ErrNotSize
	}
	v, err := strconv.ParseFloat(low, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, ErrNotSize
	}
	n := math.Round(v * mult)
	if n >= math.MaxInt64 {
		return 0, ErrNotSize
	}
	return int64(n), nil
}
