package main

import (
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile of this run to the file named by
// HAUL_CPUPROFILE, for finding costs (go tool pprof -top haul FILE). The
// returned stop ends it; it does nothing when the variable is unset.
func startProfile() (stop func()) {
	if tp := os.Getenv("HAUL_TRACE"); tp != "" {
		f, err := os.Create(tp)
		if err == nil && trace.Start(f) == nil {
			return func() { trace.Stop(); f.Close() }
		}
	}
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
