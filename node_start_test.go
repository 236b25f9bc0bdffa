package portico_test

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/internal/testutil"
)

const startAPI = `
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /ok
        integration: { integrationType: MOCK, templates: { $default: "ok" } }
`

// natsTempDirs lists the embedded NATS server's temporary store directories under dir.
func natsTempDirs(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "portico-nats-*"))
	require.NoError(t, err)
	return m
}

// TestNewFailsCleanlyWhenListenAddressIsTaken: a client address in use fails New with an error
// naming it, and the start leaves no embedded NATS server or store directory behind.
func TestNewFailsCleanlyWhenListenAddressIsTaken(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = taken.Close() })
	// The embedded NATS server gets a fixed free port, so the test can see it is never left listening.
	natsLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	natsAddr := natsLn.Addr().String()
	require.NoError(t, natsLn.Close())

	cfg := testutil.LoadConfig(t, startAPI)
	cfg.Node.Listen = taken.Addr().String()
	cfg.Node.NATSListen = natsAddr
	cfg.Node.NATSDataDir = ""
	n, err := portico.New(cfg, zaptest.NewLogger(t))
	require.Error(t, err)
	require.Nil(t, n)
	require.Contains(t, err.Error(), taken.Addr().String())
	require.Contains(t, err.Error(), "address already in use")
	require.Empty(t, natsTempDirs(t, tmp))
	ln, err := net.Listen("tcp", natsAddr)
	require.NoError(t, err, "embedded NATS address still in use")
	require.NoError(t, ln.Close())
}

// TestNewFailsCleanlyAfterNATSStarted: a failure once the embedded NATS server runs (a selection
// expression the engine refuses) shuts the server down and removes its temporary store.
func TestNewFailsCleanlyAfterNATSStarted(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfg := testutil.LoadConfig(t, `
apis:
  - name: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: "$request.body.{{bad"
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "x" } }
    stages:
      - stageName: prod
`)
	cfg.Node.NATSDataDir = ""
	n, err := portico.New(cfg, zaptest.NewLogger(t))
	require.Error(t, err)
	require.Nil(t, n)
	require.False(t, strings.Contains(err.Error(), "listen"), err.Error())
	require.Empty(t, natsTempDirs(t, tmp))
}
