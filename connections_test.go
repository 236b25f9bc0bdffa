package portico_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/internal/testutil"
)

const connectionsAPI = `
websocket:
  outboundQueueBytes: 65536
  writeTimeout: 30s
%CREDS%
apis:
  - name: push
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    routes:
      - routeKey: whoami
        integration: { integrationType: MOCK, templates: { $default: "$context.connectionId" } }
        routeResponseSelectionExpression: $default
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
      - routeKey: $disconnect
        integration: { integrationType: NATS, integrationUri: push.disconnect }
    stages:
      - stageName: prod
`

func connectionsConfig(creds string) string {
	return strings.Replace(connectionsAPI, "%CREDS%", creds, 1)
}

// sdk returns the AWS SDK's @connections client pointed at a node's stage, with only the endpoint changed.
func sdk(n *portico.Node, stage, accessKey, secret string) *apigatewaymanagementapi.Client {
	return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		BaseEndpoint: aws.String(fmt.Sprintf("http://%s/%s", n.Addr(), stage)),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		Retryer:      aws.NopRetryer{},
	})
}

// connect opens a client on n and returns it with its connection id.
func connect(t *testing.T, n *portico.Node, stage string) (*websocket.Conn, string) {
	t.Helper()
	c := dial(t, testutil.WSURL(n, stage), &websocket.DialOptions{HTTPHeader: http.Header{"User-Agent": {"push-test/2"}}})
	send(t, c, `{"action":"whoami"}`)
	return c, read(t, c)
}

func TestPostToConnectionDeliversMessage(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	c, id := connect(t, n, "prod")
	api := sdk(n, "prod", "AKID", "SECRET")
	ctx := context.Background()
	_, err := api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte(`{"hello":"from backend"}`)})
	require.NoError(t, err)
	require.Equal(t, `{"hello":"from backend"}`, read(t, c))

	// Not valid UTF-8: delivered as a binary frame.
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte{0xff, 0x00, 0x01}})
	require.NoError(t, err)
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	typ, data, err := c.Read(rctx)
	require.NoError(t, err)
	require.Equal(t, websocket.MessageBinary, typ)
	require.Equal(t, []byte{0xff, 0x00, 0x01}, data)
}

func TestGetConnectionDescribesClient(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	before := time.Now().Add(-time.Second)
	_, id := connect(t, n, "prod")
	out, err := sdk(n, "prod", "AKID", "SECRET").GetConnection(context.Background(), &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id})
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", *out.Identity.SourceIp)
	require.Equal(t, "push-test/2", *out.Identity.UserAgent)
	require.True(t, out.ConnectedAt.After(before), "connectedAt %v", out.ConnectedAt)
	require.False(t, out.LastActiveAt.Before(*out.ConnectedAt), "lastActiveAt follows the whoami message")
}

func TestGetConnectionWireFormat(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	_, id := connect(t, n, "prod")
	resp, err := http.Get(fmt.Sprintf("http://%s/prod/%%40connections/%s", n.Addr(), id))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	require.NotEmpty(t, resp.Header.Get("X-Amzn-Requestid"))
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, got["connectedAt"])
	require.Equal(t, map[string]any{"sourceIp": "127.0.0.1", "userAgent": "push-test/2"}, got["identity"])
}

func TestDeleteConnectionClosesClientAndRunsDisconnect(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	disconnects := make(chan events.APIGatewayWebsocketProxyRequest, 1)
	_, err := nc.Subscribe("push.disconnect", func(m *nats.Msg) {
		var ev events.APIGatewayWebsocketProxyRequest
		_ = json.Unmarshal(m.Data, &ev)
		disconnects <- ev
		_ = m.Respond([]byte(`{"statusCode":200}`))
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	c, id := connect(t, n, "prod")
	api := sdk(n, "prod", "AKID", "SECRET")
	_, err = api.DeleteConnection(context.Background(), &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: &id})
	require.NoError(t, err)
	require.Equal(t, websocket.StatusNormalClosure, readClose(t, c))
	select {
	case ev := <-disconnects:
		require.Equal(t, id, ev.RequestContext.ConnectionID)
		require.EqualValues(t, 1000, ev.RequestContext.DisconnectStatusCode)
	case <-time.After(10 * time.Second):
		t.Fatal("no $disconnect after DeleteConnection")
	}
	// Now gone, for every operation.
	_, err = api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
	var gone *types.GoneException
	require.ErrorAs(t, err, &gone)
	_, err = api.GetConnection(context.Background(), &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id})
	require.ErrorAs(t, err, &gone)
	_, err = api.DeleteConnection(context.Background(), &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: &id})
	require.ErrorAs(t, err, &gone)
}

func TestMalformedOrUnknownConnectionIDIsGone(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	_, id := connect(t, n, "prod")
	api := sdk(n, "prod", "AKID", "SECRET")
	for _, bad := range []string{"abc", "R1kmxc2VNjMCFIA=", strings.Repeat("x", 300), "a b", "../../etc", id[:23] + "!", "zzzzzzzz" + id[8:]} {
		_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(bad), Data: []byte("x")})
		var gone *types.GoneException
		require.ErrorAs(t, err, &gone, "id %q", bad)
	}
	// The connection on another stage of the same API is not this stage's.
	_, err := sdk(n, "other", "AKID", "SECRET").PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
	var gone *types.GoneException
	require.ErrorAs(t, err, &gone)
}

func TestPostOverLimitIsPayloadTooLarge(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	_, id := connect(t, n, "prod")
	api := sdk(n, "prod", "AKID", "SECRET")
	_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: make([]byte, 128<<10+1)})
	var tooLarge *types.PayloadTooLargeException
	require.ErrorAs(t, err, &tooLarge)
	_, err = api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte(strings.Repeat("a", 128<<10))})
	require.NoError(t, err, "exactly 128 KiB is allowed")
}

func TestSignedRequestsAreVerified(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(`connectionsApi:
  credentials:
    - { accessKeyId: AKIAPORTICO, secretAccessKey: s3cret }`)))
	c, id := connect(t, n, "prod")
	ctx := context.Background()
	_, err := sdk(n, "prod", "AKIAPORTICO", "s3cret").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("signed")})
	require.NoError(t, err)
	require.Equal(t, "signed", read(t, c))

	var forbidden *types.ForbiddenException
	_, err = sdk(n, "prod", "AKIAPORTICO", "wrong").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
	require.ErrorAs(t, err, &forbidden)
	_, err = sdk(n, "prod", "AKIAOTHER", "s3cret").GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id})
	require.ErrorAs(t, err, &forbidden)

	resp, err := http.Post(fmt.Sprintf("http://%s/prod/@connections/%s", n.Addr(), id), "application/json", strings.NewReader("unsigned"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Equal(t, "ForbiddenException", resp.Header.Get("X-Amzn-Errortype"))
	require.JSONEq(t, `{"message":"Forbidden"}`, string(body))
}

func TestPostDuringConnectIsGone(t *testing.T) {
	cfg := testutil.LoadConfig(t, `
apis:
  - name: early
    protocolType: WEBSOCKET
    routes:
      - routeKey: $connect
        integration: { integrationType: NATS, integrationUri: early.connect }
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`)
	n := testutil.StartNode(t, cfg)
	nc := testutil.ConnectNATS(t, n.NATSURL())
	api := sdk(n, "prod", "AKID", "SECRET")
	postErr := make(chan error, 1)
	_, err := nc.Subscribe("early.connect", func(m *nats.Msg) {
		var ev events.APIGatewayWebsocketProxyRequest
		_ = json.Unmarshal(m.Data, &ev)
		id := ev.RequestContext.ConnectionID
		_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("too early")})
		postErr <- err
		_ = m.Respond([]byte(`{"statusCode":200}`))
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	c := dial(t, testutil.WSURL(n, "prod"), nil)
	var gone *types.GoneException
	require.ErrorAs(t, <-postErr, &gone)
	send(t, c, "first")
	require.Equal(t, "first", read(t, c), "the early post never reached the client")
}

func TestPostToClientThatNeverReadsClosesItThenIsGone(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	c, id := connect(t, n, "prod")
	_ = c // the client never reads again
	api := sdk(n, "prod", "AKID", "SECRET")
	msg := []byte(strings.Repeat("p", 16<<10))
	var limit *types.LimitExceededException
	var gone *types.GoneException
	sawLimit := false
	for i := 0; i < 10_000; i++ {
		_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: msg})
		if errors.As(err, &limit) {
			sawLimit = true
			continue
		}
		if errors.As(err, &gone) {
			break
		}
		require.NoError(t, err)
	}
	require.True(t, sawLimit, "the post that overflowed the queue answers LimitExceededException")
	_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: msg})
	require.ErrorAs(t, err, &gone)
}

func TestNATSConnectionsAPI(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig("")))
	c, id := connect(t, n, "prod")
	cl := callbacks.NewClient(testutil.ConnectNATS(t, n.NATSURL()))
	ctx := context.Background()
	require.NoError(t, cl.Post(ctx, id, []byte("over nats")))
	require.Equal(t, "over nats", read(t, c))
	info, err := cl.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", info.SourceIP)
	require.Equal(t, "push-test/2", info.UserAgent)
	require.ErrorIs(t, cl.Post(ctx, "not-an-id", []byte("x")), callbacks.ErrGone)
	require.ErrorIs(t, cl.Post(ctx, id, make([]byte, 128<<10+1)), callbacks.ErrPayloadTooLarge)
	require.NoError(t, cl.Delete(ctx, id))
	require.Equal(t, websocket.StatusNormalClosure, readClose(t, c))
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if err := cl.Post(ctx, id, []byte("x")); !errors.Is(err, callbacks.ErrGone) {
			return fmt.Errorf("post after delete: %v", err)
		}
		return nil
	})
}
