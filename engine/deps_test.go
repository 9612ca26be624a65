package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineNeverImportsFyne keeps the engine free of any GUI toolkit: it
// must build and test without a display or cgo.
func TestEngineNeverImportsFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/haul-dl/haul/engine/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "fyne.io/") || strings.Contains(pkg, "go-gl/") {
			t.Errorf("the engine depends on %s", pkg)
		}
	}
}
