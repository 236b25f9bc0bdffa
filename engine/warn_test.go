package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/portico-gateway/portico/engine/config"
)

func TestFailedIntegrationsAreWarnedRateLimitedWithTheirRoute(t *testing.T) {
	ns := adapterNATS(t)
	nc := adapterConnect(t, ns)
	cfg, err := config.Parse("x.yaml", []byte(`
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /gone
        integration: { integrationType: NATS, integrationUri: nobody.listens }
`))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{NATS: nc, NATSState: NewNATSState()})
	require.NoError(t, err)
	core, logs := observer.New(zapcore.WarnLevel)
	e := New(d, Options{Logger: zap.New(core)})
	e.warns = newWarnLimiter(0, 50) // no refill while the loop runs, however slow the machine
	for i := 0; i < 300; i++ {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/gone", nil))
		require.Equal(t, 503, rec.Code)
	}
	entries := logs.All()
	require.NotEmpty(t, entries)
	require.Len(t, entries, 50, "a flood of failures does not flood the log")
	f := entries[0].ContextMap()
	require.Equal(t, "integration failed", entries[0].Message)
	require.Equal(t, d.APIs[0].ID, f["apiId"])
	require.Equal(t, "$default", f["stage"])
	require.Equal(t, "GET /gone", f["routeKey"])
	require.Len(t, f["requestId"], 16)

	// Once the bucket refills, the next warning says how many were held back.
	e.warns.rate, e.warns.last = 10, time.Now().Add(-time.Minute)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/gone", nil))
	last := logs.All()[len(logs.All())-1].ContextMap()
	require.EqualValues(t, 250, last["suppressed"])
}

func TestLostDisconnectIsWarnedWithItsConnectionAndCounted(t *testing.T) {
	ns := adapterNATS(t)
	nc := adapterConnect(t, ns)
	cfg, err := config.Parse("x.yaml", []byte(`
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $disconnect
        integration: { integrationType: NATS, integrationUri: nobody.listens }
    stages: [ { stageName: prod } ]
`))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{NATS: nc, NATSState: NewNATSState()})
	require.NoError(t, err)
	core, logs := observer.New(zapcore.WarnLevel)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	require.NoError(t, err)
	e := New(d, Options{Logger: zap.New(core), Metrics: m})
	st, ok := d.ResolveStage("localhost", "/prod")
	require.True(t, ok)
	e.Disconnect(&Connection{ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: st}, 1001, "Going away")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, e.Wait(ctx))
	require.Len(t, logs.All(), 1)
	require.Equal(t, "AAAAAAAAAAAAAAAAAAAAAAAA", logs.All()[0].ContextMap()["connectionId"])
	require.Equal(t, 1.0, testutil.ToFloat64(m.DisconnectLost))
}
