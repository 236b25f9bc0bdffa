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

func TestStageAccessLogSettingsFormatTheirLines(t *testing.T) {
	cfg, err := config.Parse("x.yaml", []byte(`
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /hi
        integration: { integrationType: MOCK, templates: { $default: "hi" } }
    stages:
      - stageName: $default
        accessLogSettings: { format: '{"requestId":"$context.requestId","route":"$context.routeKey","status":"$context.status","ip":"${context.identity.sourceIp}","nope":"$context.nothing"}' }
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "x" } }
    stages:
      - stageName: prod
        accessLogSettings: { format: '$context.eventType $context.routeKey $context.status $context.connectionId.' }
`))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{})
	require.NoError(t, err)
	core, logs := observer.New(zap.InfoLevel)
	e := New(d, Options{StageAccessLog: zap.New(core)})

	site, _ := d.API(d.APIs[0].ID)
	req := httptest.NewRequest(http.MethodGet, "http://"+site.ID+".localhost/hi", nil)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	require.Len(t, logs.All(), 1)
	require.Equal(t, `{"requestId":"`+rec.Header().Get("Apigw-Requestid")+`","route":"GET /hi","status":"200","ip":"192.0.2.1","nope":"-"}`,
		logs.All()[0].Message)

	chat := d.APIs[1]
	c := &Connection{ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: chat.Stages["prod"]}
	rep := &collectReplies{ch: make(chan []byte, 2)}
	e.MessageLent(c, []byte("hello"), rep)
	require.Len(t, logs.All(), 2)
	require.Equal(t, "MESSAGE $default 200 AAAAAAAAAAAAAAAAAAAAAAAA.", logs.All()[1].Message)
}
