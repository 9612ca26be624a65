package transfer

import (
	"os/exec"
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
