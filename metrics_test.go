package portico_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

func TestMetricsAreLabelledByAPIStageAndRoute(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, `
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: echo
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages: [ { stageName: prod } ]
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /ok
        integration: { integrationType: MOCK, templates: { $default: "ok" } }
      - routeKey: GET /gone
        integration: { integrationType: NATS, integrationUri: nobody.here }
`))
	chat := testutil.LoadConfig(t, "apis: [ { name: chat, protocolType: WEBSOCKET, routes: [ { routeKey: x, integration: { integrationType: MOCK } } ], stages: [ { stageName: p } ] } ]").APIs[0].ID()
	site := testutil.LoadConfig(t, "apis: [ { name: site, protocolType: HTTP, routes: [ { routeKey: GET /x, integration: { integrationType: MOCK } } ] } ]").APIs[0].ID()

	wsc := dial(t, testutil.WSURL(n, "prod"), &websocket.DialOptions{Host: chat + ".localhost"})
	send(t, wsc, `{"action":"echo"}`)
	require.Equal(t, `{"action":"echo"}`, read(t, wsc))
	send(t, wsc, `{"action":"nope"}`)
	require.Contains(t, read(t, wsc), `"Forbidden"`)

	for _, p := range []string{"/ok", "/gone", "/missing"} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+n.Addr().String()+p, nil)
		req.Host = site + ".localhost"
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	resp, err := http.Get("http://" + n.AdminAddr().String() + "/metrics")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := string(b)
	for _, want := range []string{
		`portico_message_count_total{api="` + chat + `",route="echo",stage="prod"} 1`,
		`portico_client_error_total{api="` + chat + `",route="(none)",stage="prod"} 1`,
		`portico_connect_count_total{api="` + chat + `",route="$connect",stage="prod"}`,
		`portico_message_count_total{api="` + site + `",route="GET /ok",stage="$default"} 1`,
		`portico_5xx_error_total{api="` + site + `",route="GET /gone",stage="$default"} 1`,
		`portico_integration_error_total{api="` + site + `",route="GET /gone",stage="$default"} 1`,
		`portico_4xx_error_total{api="` + site + `",route="(none)",stage="$default"} 1`,
		`portico_latency_seconds_count{api="` + site + `",route="GET /ok",stage="$default"} 1`,
	} {
		require.Contains(t, m, want)
	}
}
