package gui

import (
	"math"
	"time"
)

// etaTau is the time constant of the smoothed speed that the window works
// time left out from: a speed that swings within a few seconds moves the
// time left little, one that holds for longer moves it all the way.
const etaTau = 5 * time.Second

// rateAvg is an exponential moving average of a download's speed.
type rateAvg struct {
	rate float64 // bytes per second
	at   time.Time
}

// nextRate folds a speed sample taken at now into avg. A sample dt after
// the last weighs 1-exp(-dt/tau), so the average forgets at the same pace
// however often samples come.
func nextRate(avg rateAvg, speed float64, now time.Time, tau time.Duration) rateAvg {
	dt := now.Sub(avg.at)
	if dt <= 0 {
		return avg
	}
	w := 1 - math.Exp(-float64(dt)/float64(tau))
	return rateAvg{rate: avg.rate + w*(speed-avg.rate), at: now}
}

// timeLeft is how long remaining bytes take at rate; -1 when unknown.
func timeLeft(remaining int64, rate float64) time.Duration {
	if remaining < 0 || rate <= 0 || math.IsNaN(rate) {
		return -1
	}
	return time.Duration(float64(remaining) / rate * float64(time.Second))
}
