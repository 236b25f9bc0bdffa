package portico_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

const bigReplyAPI = `
apis:
  - name: big
    protocolType: HTTP
    routes:
      - routeKey: GET /big
        integration: { integrationType: NATS, integrationUri: big.reply }
      - routeKey: GET /small
        integration: { integrationType: NATS, integrationUri: small.reply }
`

// TestNATSReplyOverBoundIsInternalServerError: through a NATS server whose max_payload is larger
// than the node's bound, a 17 MiB reply is refused (500) and the node stays connected.
func TestNATSReplyOverBoundIsInternalServerError(t *testing.T) {
	ns := testutil.StartNATSWith(t, func(o *server.Options) { o.MaxPayload = 64 << 20; o.MaxPending = 256 << 20 })
	backend := testutil.ConnectNATS(t, ns.ClientURL())
	reply, err := json.Marshal(map[string]any{"statusCode": 200, "body": strings.Repeat("x", 17<<20)})
	require.NoError(t, err)
	_, err = backend.Subscribe("big.reply", func(m *nats.Msg) { _ = m.Respond(reply) })
	require.NoError(t, err)
	_, err = backend.Subscribe("small.reply", func(m *nats.Msg) { _ = m.Respond([]byte(`{"statusCode":200,"body":"small"}`)) })
	require.NoError(t, err)
	require.NoError(t, backend.Flush())

	cfg := testutil.LoadConfig(t, bigReplyAPI)
	cfg.Node.NATS = ns.ClientURL()
	n := testutil.StartNode(t, cfg)

	status, body := get(t, "http://"+n.Addr().String()+"/big")
	require.Equal(t, http.StatusInternalServerError, status)
	require.JSONEq(t, `{"message":"Internal Server Error"}`, body)

	status, _ = get(t, "http://"+n.AdminAddr().String()+"/readyz")
	require.Equal(t, http.StatusOK, status)
	status, body = get(t, "http://"+n.Addr().String()+"/small")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "small", body)
}

// TestEmbeddedNATSMaxPayloadIs16MiB: the embedded server announces a 16 MiB max_payload.
func TestEmbeddedNATSMaxPayloadIs16MiB(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, bigReplyAPI))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	require.Equal(t, int64(16<<20), nc.MaxPayload())
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
