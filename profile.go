package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile of this run to the file named by
// HAUL_CPUPROFILE, for finding costs (go tool pprof -top haul FILE), or an
// execution trace to HAUL_TRACE; and, when the run ends, a heap profile
// to HAUL_MEMPROFILE (go tool pprof -sample_index=inuse_space -top). The
// returned stop ends them; it does nothing when the variables are unset.
func startProfile() (stop func()) {
	cpu := startCPUProfile()
	mem := os.Getenv("HAUL_MEMPROFILE")
	return func() {
		cpu()
		if mem == "" {
			return
		}
		if f, err := os.Create(mem); err == nil {
			runtime.GC() // the heap as it stands, not as of the last collection
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
}

func startCPUProfile() (stop func()) {
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
