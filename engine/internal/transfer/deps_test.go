package transfer

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestTransferNeverImportsTheEngine keeps the seam narrow: a transfer
// gets its inputs and reports back through an interface, so it can never
// reach into the Manager.
func TestTransferNeverImportsTheEngine(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "github.com/haul-dl/haul/engine/internal/transfer").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "github.com/haul-dl/haul/engine" {
			t.Errorf("the transfer package depends on %s", pkg)
		}
	}
}

// TestProtocolsUseOnlyTheSeam keeps each streaming protocol in its own
// package, reaching the transfer only through its exported Protocol/Job
// seam and the shared segment machinery: the module packages each may
// import are listed here.
func TestProtocolsUseOnlyTheSeam(t *testing.T) {
	const mod = "github.com/haul-dl/haul/"
	allowed := map[string][]string{
		"engine/internal/transfer/segmented": {"engine/internal/transfer", "engine/hls", "engine/safename"},
		"engine/internal/transfer/hls":       {"engine/internal/transfer", "engine/internal/transfer/segmented", "engine/hls"},
		"engine/internal/transfer/dash":      {"engine/internal/transfer", "engine/internal/transfer/segmented", "engine/hls", "engine/mpd"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, imp := range strings.Fields(string(out)) {
			if !strings.HasPrefix(imp, mod) {
				continue // the standard library and third-party packages
			}
			if !slices.Contains(ok, strings.TrimPrefix(imp, mod)) {
				t.Errorf("%s imports %s, beyond the seam", pkg, imp)
			}
		}
	}
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, mod+"engine/internal/transfer").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.HasPrefix(imp, mod+"engine/internal/transfer/") {
			t.Errorf("the transfer package imports its protocol %s", imp)
		}
	}
}
