package main

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of this run to the file named by
// HAUL_CPUPROFILE, for finding costs (go tool pprof -top haul FILE). The
// returned stop ends it; it does nothing when the variable is unset.
func startProfile() (stop func()) {
	path := os.Getenv("HAUL_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
