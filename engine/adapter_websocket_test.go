package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

// chanReplier collects the engine's replies to one connection.
type chanReplier chan []byte

func (c chanReplier) Reply(payload []byte) { c <- payload }

func newWSConn(t *testing.T, env *adapterEnv, id string) *Connection {
	t.Helper()
	st, ok := env.d.ResolveStage("localhost", "/prod")
	require.True(t, ok, "stage prod")
	return &Connection{
		ID: id, Stage: st, ConnectedAt: time.Now(), DomainName: "localhost", SourceIP: "203.0.113.9", UserAgent: "test/1",
		Header: http.Header{"X-Token": {"t1"}, "User-Agent": {"test/1"}}, Query: url.Values{"room": {"blue"}},
		ListenerPort: "80", Proto: "http", Host: "localhost",
	}
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{15}=$`)

// requireErrorFrame checks that frame is API Gateway's error frame for message on conn, byte for byte.
func requireErrorFrame(t *testing.T, frame []byte, message, connID string) {
	t.Helper()
	var f struct {
		Message      string `json:"message"`
		ConnectionID string `json:"connectionId"`
		RequestID    string `json:"requestId"`
	}
	require.NoError(t, json.Unmarshal(frame, &f), string(frame))
	require.Equal(t, message, f.Message)
	require.Equal(t, connID, f.ConnectionID)
	require.Regexp(t, requestIDPattern, f.RequestID)
	require.Equal(t, `{"message": "`+message+`", "connectionId":"`+connID+`", "requestId":"`+f.RequestID+`"}`, string(frame))
}

const wsAdapterConfig = `
apis:
  - name: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    routes:
      - routeKey: $connect
        integration: { integrationType: NATS, integrationUri: chat.connect }
      - routeKey: $disconnect
        integration: { integrationType: NATS, integrationUri: chat.disconnect }
      - routeKey: echo
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
      - routeKey: send
        integration: { integrationType: NATS, integrationUri: chat.send }
        routeResponseSelectionExpression: $default
      - routeKey: oneway
        integration: { integrationType: NATS, integrationUri: chat.oneway }
      - routeKey: gone
        integration: { integrationType: NATS, integrationUri: chat.nobody }
        routeResponseSelectionExpression: $default
      - routeKey: slow
        integration: { integrationType: NATS, integrationUri: chat.slow, timeoutInMillis: 50 }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
        stageVariables: { color: blue }
`

func TestWebSocketAdapter(t *testing.T) {
	env := newAdapterEnv(t, wsAdapterConfig)
	connects := capture[events.APIGatewayWebsocketProxyRequest](t, env, "chat.connect", `{"statusCode":200}`)
	disconnects := capture[events.APIGatewayWebsocketProxyRequest](t, env, "chat.disconnect", `{"statusCode":200}`)
	sends := capture[events.APIGatewayWebsocketProxyRequest](t, env, "chat.send", `{"statusCode":200,"body":"sent"}`)
	oneway := capture[events.APIGatewayWebsocketProxyRequest](t, env, "chat.oneway", `{"statusCode":200,"body":"dropped"}`)
	slow := env.silent(t, "chat.slow")

	c := newWSConn(t, env, "conn-AAAAAAAAAAAAAAA=")
	res := env.e.Connect(context.Background(), c)
	require.Equal(t, 200, res.Status)
	ev := receive(t, connects)
	require.Equal(t, "CONNECT", ev.RequestContext.EventType)
	require.Equal(t, "$connect", ev.RequestContext.RouteKey)
	require.Equal(t, c.ID, ev.RequestContext.ConnectionID)
	require.Equal(t, "prod", ev.RequestContext.Stage)
	require.Equal(t, "t1", ev.Headers["X-Token"])
	require.Equal(t, map[string]string{"room": "blue"}, ev.QueryStringParameters)
	require.Equal(t, map[string]string{"color": "blue"}, ev.StageVariables)
	require.Equal(t, "203.0.113.9", ev.RequestContext.Identity.SourceIP)
	c.ForgetHandshake()

	rep := make(chanReplier, 16)

	t.Run("MOCK two-way route echoes inline", func(t *testing.T) {
		body := []byte(`{"action":"echo","data":"hi"}`)
		kept := env.e.MessageLent(c, body, rep)
		require.False(t, kept, "a MOCK runs on the caller's goroutine")
		select {
		case got := <-rep:
			require.Equal(t, `{"action":"echo","data":"hi"}`, string(got))
		default:
			t.Fatal("no reply from the inline MOCK")
		}
	})

	t.Run("NATS two-way route", func(t *testing.T) {
		env.e.MessageLent(c, []byte(`{"action":"send","text":"yo"}`), rep)
		require.Equal(t, "sent", string(receive(t, rep)))
		ev := receive(t, sends)
		require.Equal(t, "MESSAGE", ev.RequestContext.EventType)
		require.Equal(t, "send", ev.RequestContext.RouteKey)
		require.Equal(t, c.ID, ev.RequestContext.ConnectionID)
		require.Equal(t, `{"action":"send","text":"yo"}`, ev.Body)
		require.NotEmpty(t, ev.RequestContext.RequestID)
		require.NotNil(t, ev.RequestContext.MessageID)
		require.NotEqual(t, ev.RequestContext.RequestID, ev.RequestContext.MessageID)
	})

	t.Run("NATS one-way route sends no reply", func(t *testing.T) {
		env.e.MessageLent(c, []byte(`{"action":"oneway"}`), rep)
		receive(t, oneway)
		// A later two-way message's reply is the next thing on the connection.
		env.e.MessageLent(c, []byte(`{"action":"echo"}`), rep)
		require.Equal(t, `{"action":"echo"}`, string(receive(t, rep)))
		require.NoError(t, env.e.Wait(context.Background()))
		require.Empty(t, rep)
	})

	t.Run("no responders is an error frame", func(t *testing.T) {
		env.e.MessageLent(c, []byte(`{"action":"gone"}`), rep)
		requireErrorFrame(t, receive(t, rep), "Internal server error", c.ID)
	})

	t.Run("timeout is an error frame", func(t *testing.T) {
		start := time.Now()
		env.e.MessageLent(c, []byte(`{"action":"slow"}`), rep)
		requireErrorFrame(t, receive(t, rep), "Internal server error", c.ID)
		receive(t, slow)
		require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	})

	t.Run("no route and no $default is Forbidden", func(t *testing.T) {
		for _, msg := range []string{`{"action":"nosuchroute"}`, `not json`, `{"action":"$connect"}`} {
			kept := env.e.MessageLent(c, []byte(msg), rep)
			require.False(t, kept)
			select {
			case got := <-rep:
				requireErrorFrame(t, got, "Forbidden", c.ID)
			default:
				t.Fatalf("%s: no Forbidden frame", msg)
			}
		}
	})

	t.Run("disconnect", func(t *testing.T) {
		env.e.Disconnect(c, 1001, "Going away")
		ev := receive(t, disconnects)
		require.Equal(t, "DISCONNECT", ev.RequestContext.EventType)
		require.Equal(t, "$disconnect", ev.RequestContext.RouteKey)
		require.Equal(t, c.ID, ev.RequestContext.ConnectionID)
		require.EqualValues(t, 1001, ev.RequestContext.DisconnectStatusCode)
		require.NotNil(t, ev.RequestContext.DisconnectReason)
		require.Equal(t, "Going away", *ev.RequestContext.DisconnectReason)
		require.NoError(t, env.e.Wait(context.Background()))
	})
}

func TestWebSocketAdapterConnectRefusals(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: gate
    protocolType: WEBSOCKET
    routes:
      - routeKey: $connect
        integration: { integrationType: MOCK, templates: { $default: '{"statusCode": 403}' } }
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`)
	c := newWSConn(t, env, "gate-AAAAAAAAAAAAAAA=")
	res := env.e.Connect(context.Background(), c)
	require.Equal(t, 403, res.Status)

	// $default catches what no route matches.
	rep := make(chanReplier, 1)
	env.e.MessageLent(c, []byte(`{"action":"whatever"}`), rep)
	require.Equal(t, `{"action":"whatever"}`, string(<-rep))
}

func TestWebSocketAdapterConnectFailures(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: gate
    protocolType: WEBSOCKET
    routes:
      - routeKey: $connect
        integration: { integrationType: NATS, integrationUri: gate.connect }
    stages:
      - stageName: prod
`)
	c := newWSConn(t, env, "gate-BBBBBBBBBBBBBBB=")
	// No responders.
	res := env.e.Connect(context.Background(), c)
	require.Equal(t, 502, res.Status)
	require.Equal(t, `{"message": "Internal server error"}`, string(res.Body))

	// The function refuses: its status and body go to the client.
	env.respond(t, "gate.connect", func([]byte) []byte { return []byte(`{"statusCode":401,"body":"no"}`) })
	res = env.e.Connect(context.Background(), c)
	require.Equal(t, 401, res.Status)
	require.Equal(t, "no", string(res.Body))
}

func TestWebSocketAdapterNoConnectRouteAccepts(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: open
    protocolType: WEBSOCKET
    routes:
      - routeKey: ping
        integration: { integrationType: MOCK, templates: { $default: '{"pong":"$context.connectionId"}' } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`)
	c := newWSConn(t, env, "open-CCCCCCCCCCCCCCC=")
	require.Equal(t, 200, env.e.Connect(context.Background(), c).Status)
	rep := make(chanReplier, 1)
	env.e.MessageLent(c, []byte(`{"action":"ping"}`), rep)
	require.Equal(t, `{"pong":"open-CCCCCCCCCCCCCCC="}`, string(<-rep))

	// A WebSocket API answers plain HTTP requests with 404.
	rec := env.serve(t, http.MethodGet, "http://localhost/prod", nil, nil)
	require.Equal(t, 404, rec.Code)
	env.e.Disconnect(c, 1000, "") // no $disconnect route: nothing runs
	require.NoError(t, env.e.Wait(context.Background()))
}
