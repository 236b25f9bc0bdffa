package portico_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

func TestSystemdUnitDrainsWithinItsStopTimeout(t *testing.T) {
	f, err := os.Open("deploy/portico.service")
	require.NoError(t, err)
	defer f.Close()
	keys := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			keys[k] = v
		}
	}
	require.Equal(t, "SIGTERM", keys["KillSignal"])
	require.Contains(t, keys["ExecReload"], "-HUP")
	require.NotEmpty(t, keys["LimitNOFILE"])
	require.NotEqual(t, "root", keys["User"])
	stop, err := time.ParseDuration(keys["TimeoutStopSec"])
	require.NoError(t, err)
	drain := time.Duration(testutil.LoadConfig(t, "apis: []\n").Node.DrainTimeout)
	require.Greater(t, stop, drain, "TimeoutStopSec must leave the drain its drainTimeout")
}

func TestDockerfileBuildsAStaticBinaryRunAsNonRoot(t *testing.T) {
	raw, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	d := string(raw)
	require.Len(t, regexp.MustCompile(`(?m)^FROM `).FindAllString(d, -1), 2, "multi-stage")
	require.Contains(t, d, "CGO_ENABLED=0")
	require.Regexp(t, `(?m)^USER nonroot`, d)
	require.Regexp(t, `(?m)^STOPSIGNAL SIGTERM`, d)
	require.Contains(t, d, "./cmd/portico")
}
