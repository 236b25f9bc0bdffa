package portico_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/internal/testutil"
)

const chatAPI = `
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
      - routeKey: whoami
        integration: { integrationType: MOCK, templates: { $default: '{"connectionId":"$context.connectionId","routeKey":"$context.routeKey","stage":"$context.stage"}' } }
        routeResponseSelectionExpression: $default
      - routeKey: sendmessage
        integration: { integrationType: NATS, integrationUri: chat.sendmessage, timeoutInMillis: 2000 }
        routeResponseSelectionExpression: $default
      - routeKey: oneway
        integration: { integrationType: NATS, integrationUri: chat.oneway }
      - routeKey: slow
        integration: { integrationType: NATS, integrationUri: chat.slow, timeoutInMillis: 200 }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
        stageVariables: { color: blue }
`

// backend is a Lambda-style handler on NATS that records every event it gets.
type backend struct {
	mu     sync.Mutex
	events []events.APIGatewayWebsocketProxyRequest
	raw    [][]byte
}

func (b *backend) record(t *testing.T, m *nats.Msg) events.APIGatewayWebsocketProxyRequest {
	var ev events.APIGatewayWebsocketProxyRequest
	require.NoError(t, json.Unmarshal(m.Data, &ev), "event must decode as events.APIGatewayWebsocketProxyRequest: %s", m.Data)
	b.mu.Lock()
	b.events = append(b.events, ev)
	b.raw = append(b.raw, append([]byte(nil), m.Data...))
	b.mu.Unlock()
	return ev
}

func (b *backend) byType(eventType string) []events.APIGatewayWebsocketProxyRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []events.APIGatewayWebsocketProxyRequest
	for _, ev := range b.events {
		if ev.RequestContext.EventType == eventType {
			out = append(out, ev)
		}
	}
	return out
}

func reply(t *testing.T, m *nats.Msg, resp events.APIGatewayProxyResponse) {
	data, err := json.Marshal(resp)
	require.NoError(t, err)
	require.NoError(t, m.Respond(data))
}

// startChat starts a node serving chatAPI and a backend answering its NATS routes.
func startChat(t *testing.T) (*portico.Node, *backend) {
	t.Helper()
	n := testutil.StartNode(t, testutil.LoadConfig(t, chatAPI))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	// Drain the node while the backend still answers its $disconnect events.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, n.Shutdown(ctx))
	})
	b := &backend{}
	sub := func(subject string, h func(*nats.Msg)) {
		_, err := nc.Subscribe(subject, h)
		require.NoError(t, err)
	}
	sub("chat.connect", func(m *nats.Msg) {
		ev := b.record(t, m)
		status := 200
		if ev.QueryStringParameters["token"] == "bad" {
			status = 401
		}
		h := map[string]string{}
		if p := ev.Headers["Sec-WebSocket-Protocol"]; p != "" {
			h["Sec-WebSocket-Protocol"] = strings.Split(p, ",")[0]
		}
		reply(t, m, events.APIGatewayProxyResponse{StatusCode: status, Headers: h})
	})
	sub("chat.disconnect", func(m *nats.Msg) { b.record(t, m); reply(t, m, events.APIGatewayProxyResponse{StatusCode: 200}) })
	sub("chat.sendmessage", func(m *nats.Msg) {
		ev := b.record(t, m)
		reply(t, m, events.APIGatewayProxyResponse{StatusCode: 200, Body: "got " + ev.Body})
	})
	sub("chat.oneway", func(m *nats.Msg) {
		b.record(t, m)
		reply(t, m, events.APIGatewayProxyResponse{StatusCode: 200, Body: "not sent"})
	})
	sub("chat.slow", func(m *nats.Msg) { b.record(t, m) }) // never answers
	require.NoError(t, nc.Flush())
	return n, b
}

func dial(t *testing.T, url string, opts *websocket.DialOptions) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, opts)
	require.NoError(t, err)
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(msg)))
}

func read(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	typ, data, err := c.Read(ctx)
	require.NoError(t, err)
	require.Equal(t, websocket.MessageText, typ)
	return string(data)
}

// readClose reads until the connection ends and returns the close status the server sent.
func readClose(t *testing.T, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err != nil {
			require.NoError(t, ctx.Err(), "connection was not closed in time")
			return websocket.CloseStatus(err)
		}
	}
}

func TestEchoRouteRepliesWithMessageBody(t *testing.T) {
	n, _ := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"echo","data":"hello"}`)
	require.Equal(t, `{"action":"echo","data":"hello"}`, read(t, c))
}

func TestMockTemplateSeesContextVariables(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"whoami"}`)
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(read(t, c)), &got))
	connects := b.byType("CONNECT")
	require.Len(t, connects, 1)
	require.Equal(t, map[string]string{"connectionId": connects[0].RequestContext.ConnectionID, "routeKey": "whoami", "stage": "prod"}, got)
}

func TestNATSRouteGetsLambdaProxyEventAndRepliesWithBody(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod")+"?token=abc&room=1&room=2", &websocket.DialOptions{
		HTTPHeader: http.Header{"User-Agent": {"portico-test/1.0"}, "X-Api-Key": {"k1"}},
	})
	send(t, c, `{"action":"sendmessage","data":"hi"}`)
	require.Equal(t, `got {"action":"sendmessage","data":"hi"}`, read(t, c))

	connects := b.byType("CONNECT")
	require.Len(t, connects, 1)
	ce := connects[0]
	rc := ce.RequestContext
	require.Equal(t, "$connect", rc.RouteKey)
	require.Equal(t, "prod", rc.Stage)
	require.Equal(t, "IN", rc.MessageDirection)
	require.Equal(t, "127.0.0.1", rc.Identity.SourceIP)
	require.Equal(t, "portico-test/1.0", rc.Identity.UserAgent)
	require.Len(t, rc.APIID, 10)
	require.Equal(t, n.Addr().String(), rc.DomainName)
	require.Len(t, rc.RequestID, 16)
	require.True(t, strings.HasSuffix(rc.RequestID, "="))
	require.Equal(t, rc.RequestID, rc.ExtendedRequestID)
	require.NotZero(t, rc.ConnectedAt)
	require.GreaterOrEqual(t, rc.RequestTimeEpoch, rc.ConnectedAt)
	_, err := time.Parse("02/Jan/2006:15:04:05 -0700", rc.RequestTime)
	require.NoError(t, err)
	require.Equal(t, "abc", ce.QueryStringParameters["token"])
	require.Equal(t, []string{"1", "2"}, ce.MultiValueQueryStringParameters["room"])
	require.Equal(t, "2", ce.QueryStringParameters["room"])
	require.Equal(t, "13", ce.Headers["Sec-WebSocket-Version"])
	require.NotEmpty(t, ce.Headers["Sec-WebSocket-Key"])
	require.Equal(t, "127.0.0.1", ce.Headers["X-Forwarded-For"])
	require.Equal(t, "http", ce.Headers["X-Forwarded-Proto"])
	require.True(t, strings.HasPrefix(ce.Headers["X-Amzn-Trace-Id"], "Root=1-"))
	require.Equal(t, []string{"k1"}, ce.MultiValueHeaders["X-Api-Key"])
	require.Empty(t, ce.Body)
	require.Equal(t, "blue", ce.StageVariables["color"])

	msgs := b.byType("MESSAGE")
	require.Len(t, msgs, 1)
	me := msgs[0]
	require.Equal(t, "sendmessage", me.RequestContext.RouteKey)
	require.Equal(t, rc.ConnectionID, me.RequestContext.ConnectionID)
	require.Equal(t, rc.ConnectedAt, me.RequestContext.ConnectedAt)
	require.NotEqual(t, rc.RequestID, me.RequestContext.RequestID)
	require.NotNil(t, me.RequestContext.MessageID)
	require.NotEqual(t, me.RequestContext.RequestID, me.RequestContext.MessageID, "messageId is its own id")
	require.Equal(t, me.RequestContext.RequestID, me.RequestContext.ExtendedRequestID)
	require.Equal(t, `{"action":"sendmessage","data":"hi"}`, me.Body)
	require.Nil(t, me.Headers, "MESSAGE events carry no headers")
	require.False(t, me.IsBase64Encoded)
}

func TestOneWayRouteSendsNothingBack(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"oneway"}`)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if len(b.byType("MESSAGE")) != 1 {
			return errors.New("backend has not seen the message")
		}
		return nil
	})
	// The echo that follows is the next frame: nothing came from the one-way route.
	send(t, c, `{"action":"echo","n":2}`)
	require.Equal(t, `{"action":"echo","n":2}`, read(t, c))
}

func TestConnectRefusedWithBackendStatus(t *testing.T) {
	n, b := startChat(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, testutil.WSURL(n, "prod")+"?token=bad", nil)
	require.Error(t, err)
	require.NotNil(t, resp)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Len(t, b.byType("CONNECT"), 1)
	require.Empty(t, b.byType("DISCONNECT"), "a refused handshake never connected")
	require.Equal(t, 0, n.Connections().Count())
}

func TestConnectEchoesSubprotocolChosenByBackend(t *testing.T) {
	n, _ := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), &websocket.DialOptions{Subprotocols: []string{"chat.v2", "chat.v1"}})
	require.Equal(t, "chat.v2", c.Subprotocol())
}

func TestUnknownStageIsRefused(t *testing.T) {
	n, _ := startChat(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, testutil.WSURL(n, "nope"), nil)
	require.Error(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestNoMatchingRouteAndNoDefaultSendsForbiddenFrameAndStaysOpen(t *testing.T) {
	n, _ := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	for _, msg := range []string{`{"action":"nosuchroute"}`, `not json`, `{"action":"$connect"}`} {
		send(t, c, msg)
		frame := read(t, c)
		var got struct{ Message, ConnectionID, RequestID string }
		require.NoError(t, json.Unmarshal([]byte(frame), &got))
		require.Equal(t, "Forbidden", got.Message)
		require.True(t, strings.HasPrefix(frame, `{"message": "Forbidden", "connectionId":"`), frame)
		require.Contains(t, frame, `", "requestId":"`)
	}
	send(t, c, `{"action":"echo"}`)
	require.Equal(t, `{"action":"echo"}`, read(t, c))
}

func TestBackendTimeoutSendsInternalServerErrorFrameAndStaysOpen(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"slow"}`)
	frame := read(t, c)
	connID := b.byType("CONNECT")[0].RequestContext.ConnectionID
	reqID := b.byType("MESSAGE")[0].RequestContext.RequestID
	require.Equal(t, `{"message": "Internal server error", "connectionId":"`+connID+`", "requestId":"`+reqID+`"}`, frame)
	send(t, c, `{"action":"echo"}`)
	require.Equal(t, `{"action":"echo"}`, read(t, c))
}

func TestDisconnectRunsOnceWithClientCloseCode(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"echo"}`)
	read(t, c)
	require.NoError(t, c.Close(websocket.StatusNormalClosure, "bye"))
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if len(b.byType("DISCONNECT")) == 0 {
			return errors.New("no $disconnect yet")
		}
		return nil
	})
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n.Connections().Count() != 0 {
			return errors.New("connection still indexed")
		}
		return nil
	})
	ds := b.byType("DISCONNECT")
	require.Len(t, ds, 1)
	d := ds[0]
	require.Equal(t, "$disconnect", d.RequestContext.RouteKey)
	require.EqualValues(t, 1000, d.RequestContext.DisconnectStatusCode)
	require.NotNil(t, d.RequestContext.DisconnectReason)
	require.Equal(t, "bye", *d.RequestContext.DisconnectReason)
	require.Equal(t, b.byType("CONNECT")[0].RequestContext.ConnectionID, d.RequestContext.ConnectionID)
	require.Contains(t, d.Headers, "X-Forwarded-For")
}

func TestAbruptClientLossDisconnectsWith1006(t *testing.T) {
	n, b := startChat(t)
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	send(t, c, `{"action":"echo"}`)
	read(t, c)
	require.NoError(t, c.CloseNow())
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if len(b.byType("DISCONNECT")) == 0 {
			return errors.New("no $disconnect yet")
		}
		return nil
	})
	require.EqualValues(t, 1006, b.byType("DISCONNECT")[0].RequestContext.DisconnectStatusCode)
}

func TestShutdownClosesClientsWith1001AndRunsDisconnect(t *testing.T) {
	n, b := startChat(t)
	const clients = 5
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		conns[i] = dial(t, testutil.WSURL(n, "prod"), nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, n.Shutdown(ctx))
	for _, c := range conns {
		require.Equal(t, websocket.StatusGoingAway, readClose(t, c))
	}
	// Shutdown returns after every $disconnect integration has answered.
	ds := b.byType("DISCONNECT")
	require.Len(t, ds, clients)
	for _, d := range ds {
		require.EqualValues(t, 1001, d.RequestContext.DisconnectStatusCode)
	}
}

func TestMockConnectStatusRefusesHandshake(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, `
apis:
  - name: gate
    protocolType: WEBSOCKET
    routes:
      - routeKey: $connect
        integration: { integrationType: MOCK, templates: { $default: '{"statusCode": $input.params(''code'')}' } }
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, testutil.WSURL(n, "prod")+"?code=401", nil)
	require.Error(t, err)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	c := dial(t, testutil.WSURL(n, "prod")+"?code=200", nil)
	send(t, c, "in")
	require.Equal(t, "in", read(t, c))
}
