package natsreq_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsNATSAndStandardLibraryOnly keeps natsreq a leaf: the module's packages may use it
// without pulling in anything else.
func TestImportsNATSAndStandardLibraryOnly(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	out, err := exec.Command(goBin, "list", "-f", `{{join .Imports "\n"}}`, "github.com/portico-gateway/portico/internal/natsreq").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && imp != "github.com/nats-io/nats.go" {
			t.Errorf("natsreq imports %s; it may import nats.go and the standard library only", imp)
		}
	}
}
