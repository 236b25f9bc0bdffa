package engine

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/portico-gateway/portico/engine/config"
)

func TestRequestIDReachesResponseAndAccessLog(t *testing.T) {
	cfg, err := config.Parse("access.yaml", []byte(`apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /id
        integration: { integrationType: MOCK, templates: { $default: "$context.requestId" } }
`))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{})
	require.NoError(t, err)
	core, logs := observer.New(zap.InfoLevel)
	e := New(d, Options{AccessLog: zap.New(core)})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/id", nil))
	id := rec.Header().Get("Apigw-Requestid")
	require.Len(t, id, 16)
	require.Equal(t, id, rec.Body.String(), "the integration sees the same request id")
	entries := logs.All()
	require.Len(t, entries, 1)
	fields := entries[0].ContextMap()
	require.Equal(t, id, fields["requestId"])
	require.EqualValues(t, 200, fields["status"])
	require.Equal(t, "GET /id", fields["routeKey"])

	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/nope", nil))
	require.Equal(t, 404, rec.Code)
	require.Len(t, logs.All(), 2)
	require.EqualValues(t, 404, logs.All()[1].ContextMap()["status"])
}

func TestWebSocketEventsReachTheAccessLog(t *testing.T) {
	cfg, err := config.Parse("ws.yaml", []byte(`apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "x" } }
    stages: [ { stageName: prod } ]
`))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{})
	require.NoError(t, err)
	core, logs := observer.New(zap.InfoLevel)
	e := New(d, Options{AccessLog: zap.New(core)})
	st, ok := d.ResolveStage("localhost", "/prod")
	require.True(t, ok)
	e.MessageLent(&Connection{ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: st, SourceIP: "192.0.2.9"}, []byte("hi"), nopReplier{})
	require.Len(t, logs.All(), 1)
	f := logs.All()[0].ContextMap()
	require.Equal(t, "MESSAGE", f["eventType"])
	require.Equal(t, "$default", f["routeKey"])
	require.Equal(t, "AAAAAAAAAAAAAAAAAAAAAAAA", f["connectionId"])
	require.EqualValues(t, 200, f["status"])
}

type nopReplier struct{}

func (nopReplier) Reply([]byte) {}
