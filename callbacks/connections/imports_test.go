package connections_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"regexp"
	"testing"
)

// goListDeps returns the packages pkg depends on, itself included, by import path, with whether
// each is in the standard library.
func goListDeps(t *testing.T, goBin, pkg string) map[string]bool {
	t.Helper()
	out, err := exec.Command(goBin, "list", "-deps", "-json", pkg).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	deps := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Standard   bool
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		deps[p.ImportPath] = p.Standard
	}
	return deps
}

// TestLinksNothingOfTheServer checks the import graph: a backend importing connections gets nats.go
// (and what nats.go itself needs), the module's leaf packages, and the standard library; never the
// server's dependencies (actors, metrics, config parsing, JSON selection, logging).
func TestLinksNothingOfTheServer(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	const module = "github.com/portico-gateway/portico/"
	allowed := goListDeps(t, goBin, "github.com/nats-io/nats.go")
	for _, leaf := range []string{"actors/connid", "internal/natsreq", "callbacks/connections"} {
		allowed[module+leaf] = false
	}
	server := regexp.MustCompile(`protoactor|prometheus|yaml|gjson|zap`)
	deps := goListDeps(t, goBin, module+"callbacks/connections")
	if len(deps) == 0 {
		t.Fatal("go list found no packages")
	}
	for path, std := range deps {
		if server.MatchString(path) {
			t.Errorf("connections depends on %s, a dependency of the server", path)
		}
		if _, ok := allowed[path]; !ok && !std {
			t.Errorf("connections depends on %s: only nats.go, the module's leaf packages and the standard library are allowed", path)
		}
	}
}
