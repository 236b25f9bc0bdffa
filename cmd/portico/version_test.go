package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVersionPrintsGoVersionAndPlatform(t *testing.T) {
	out, err := runCommand(t, "version")
	require.NoError(t, err)
	lines := strings.Split(out, "\n")
	require.True(t, strings.HasPrefix(lines[0], "portico "), out)
	require.NotEqual(t, "portico ", lines[0], "a version is always printed")
	require.Contains(t, out, "go:       "+runtime.Version()+"\n")
	require.Contains(t, out, "platform: "+runtime.GOOS+"/"+runtime.GOARCH+"\n")
}

func TestVersionComesFromLdflags(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "portico")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7-test", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "version").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.True(t, strings.HasPrefix(string(out), "portico v9.8.7-test\n"), "%s", out)
	require.Contains(t, string(out), "go:       "+runtime.Version())
}
