// Package human writes sizes, speeds and durations the way a person reads
// them: "12.3 MiB", "2.1 MiB/s", "3 min 20 s".
package human

import (
	"fmt"
	"math"
	"time"
)

var units = [...]string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// Bytes formats a size in binary units with three significant digits:
// "999 B", "1.00 KiB", "12.3 MiB", "140 GiB". A negative size is "unknown".
func Bytes(n int64) string {
	if n < 0 {
		return "unknown"
	}
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	// Round first, so 1023.96 KiB becomes "1.00 MiB", not "1024 KiB".
	if r := round3(v); r >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	switch r := round3(v); {
	case r < 10:
		return fmt.Sprintf("%.2f %s", v, units[i])
	case r < 100:
		return fmt.Sprintf("%.1f %s", v, units[i])
	default:
		return fmt.Sprintf("%.0f %s", v, units[i])
	}
}

// round3 rounds v to the precision Bytes prints it with.
func round3(v float64) float64 {
	switch {
	case v < 9.995:
		return math.Round(v*100) / 100
	case v < 99.95:
		return math.Round(v*10) / 10
	default:
		return math.Round(v)
	}
}

// Speed formats bytes per second: "0 B/s", "850 KiB/s", "2.10 MiB/s".
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
