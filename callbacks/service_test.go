package callbacks_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/callbacks/connections"
	"github.com/portico-gateway/portico/internal/natsreq"
	"github.com/portico-gateway/portico/internal/testutil"
)

// fakeConn is a connection as the service sees it, recording what it is asked to do.
type fakeConn struct {
	stage string
	info  callbacks.ConnectionInfo

	mu     sync.Mutex
	posted []string
	full   bool
	closed bool
}

func (c *fakeConn) Stage() string                  { return c.stage }
func (c *fakeConn) Info() callbacks.ConnectionInfo { return c.info }
func (c *fakeConn) Close()                         { c.mu.Lock(); c.closed = true; c.mu.Unlock() }

func (c *fakeConn) Post(data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.full {
		return callbacks.ErrLimitExceeded
	}
	c.posted = append(c.posted, string(data))
	return nil
}

func (c *fakeConn) state() (posted []string, closed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.posted...), c.closed
}

// fakeRegistry holds a node's connections.
type fakeRegistry struct {
	mu    sync.Mutex
	conns map[string]*fakeConn
}

func (r *fakeRegistry) Get(id string) (callbacks.Conn, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.conns[id]
	return c, ok
}

// fakeNode is one node's @connections service over a fake registry, on a real NATS server.
type fakeNode struct {
	tag   connid.NodeTag
	reg   *fakeRegistry
	svc   *callbacks.Service
	state *natsreq.State
}

func startFakeNode(t *testing.T, url, name string, creds []callbacks.Credential) *fakeNode {
	t.Helper()
	n := &fakeNode{tag: connid.TagOf(name), reg: &fakeRegistry{conns: map[string]*fakeConn{}}, state: natsreq.NewState()}
	svc, err := callbacks.NewService(n.reg, n.tag, testutil.ConnectNATS(t, url), callbacks.Options{
		Credentials: creds, NATSState: n.state, RemoteTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = svc.Close() })
	n.svc = svc
	return n
}

// open adds a connection on stage to the node and returns it with its id.
func (n *fakeNode) open(stage string) (*fakeConn, string) {
	id := connid.NewConnectionID(n.tag)
	at := time.Date(2024, 1, 20, 11, 54, 57, 419e6, time.UTC)
	c := &fakeConn{stage: stage, info: callbacks.ConnectionInfo{ConnectedAt: at, SourceIP: "192.0.2.7",
		UserAgent: "fake/1", LastActiveAt: at.Add(time.Minute)}}
	n.reg.mu.Lock()
	n.reg.conns[id] = c
	n.reg.mu.Unlock()
	return c, id
}

func sdkAt(url, stage, ak, sk string) *apigatewaymanagementapi.Client {
	return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		BaseEndpoint: aws.String(url + "/" + stage),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(ak, sk, ""),
		Retryer:      aws.NopRetryer{},
	})
}

func TestServiceOverHTTPAnswersAsAPIGateway(t *testing.T) {
	ns := testutil.StartNATS(t)
	creds := []callbacks.Credential{{AccessKeyID: "AKIDOLD", SecretAccessKey: "old-secret"}}
	a := startFakeNode(t, ns.ClientURL(), "node-a", creds)
	b := startFakeNode(t, ns.ClientURL(), "node-b", nil)
	srv := httptest.NewServer(a.svc)
	defer srv.Close()
	ctx := context.Background()
	api := sdkAt(srv.URL, "prod", "AKIDOLD", "old-secret")

	local, localID := a.open("prod")
	remote, remoteID := b.open("prod")
	for _, id := range []string{localID, remoteID} {
		_, err := api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("hi " + id)})
		require.NoError(t, err)
	}
	posted, _ := local.state()
	require.Equal(t, []string{"hi " + localID}, posted)
	posted, _ = remote.state()
	require.Equal(t, []string{"hi " + remoteID}, posted, "forwarded to the owning node over NATS")

	got, err := api.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(remoteID)})
	require.NoError(t, err)
	require.Equal(t, remote.info.ConnectedAt, got.ConnectedAt.UTC())
	require.Equal(t, remote.info.LastActiveAt, got.LastActiveAt.UTC())
	require.Equal(t, "192.0.2.7", *got.Identity.SourceIp)
	require.Equal(t, "fake/1", *got.Identity.UserAgent)

	_, err = api.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: aws.String(remoteID)})
	require.NoError(t, err)
	_, closed := remote.state()
	require.True(t, closed)

	var gone *types.GoneException
	for _, id := range []string{
		connid.NewConnectionID(a.tag),                // unknown here
		connid.NewConnectionID(connid.TagOf("none")), // no node owns it
		"not-an-id",
	} {
		_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("x")})
		require.ErrorAs(t, err, &gone, id)
	}
	_, err = sdkAt(srv.URL, "dev", "AKIDOLD", "old-secret").PostToConnection(ctx,
		&apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(remoteID), Data: []byte("x")})
	require.ErrorAs(t, err, &gone, "another stage's connection is gone, across nodes too")

	remote.mu.Lock()
	remote.full = true
	remote.mu.Unlock()
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(remoteID), Data: []byte("x")})
	var limit *types.LimitExceededException
	require.ErrorAs(t, err, &limit)

	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(localID),
		Data: make([]byte, callbacks.MaxPostBytes+1)})
	var tooLarge *types.PayloadTooLargeException
	require.ErrorAs(t, err, &tooLarge)

	// Credentials swap at once: the new key works, the old one is refused.
	a.svc.SetCredentials([]callbacks.Credential{{AccessKeyID: "AKIDNEW", SecretAccessKey: "new-secret"}})
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(localID), Data: []byte("x")})
	var forbidden *types.ForbiddenException
	require.ErrorAs(t, err, &forbidden)
	_, err = sdkAt(srv.URL, "prod", "AKIDNEW", "new-secret").PostToConnection(ctx,
		&apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(localID), Data: []byte("new")})
	require.NoError(t, err)

	// NATS down: a forwarded call answers 503 at once, a local one still works.
	a.state.Disconnected()
	api = sdkAt(srv.URL, "prod", "AKIDNEW", "new-secret")
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(remoteID), Data: []byte("x")})
	require.Error(t, err)
	var status interface{ HTTPStatusCode() int }
	require.ErrorAs(t, err, &status)
	require.Equal(t, 503, status.HTTPStatusCode())
	require.ErrorIs(t, a.svc.Post(ctx, "prod", remoteID, []byte("x")), callbacks.ErrUnavailable)
	require.NoError(t, a.svc.Post(ctx, "prod", localID, []byte("still here")))
}

func TestServiceOverNATSAnswersTheBackendClient(t *testing.T) {
	ns := testutil.StartNATS(t)
	a := startFakeNode(t, ns.ClientURL(), "node-a", nil)
	c, id := a.open("prod")
	client := connections.NewClient(testutil.ConnectNATS(t, ns.ClientURL()))
	ctx := context.Background()

	require.NoError(t, client.Post(ctx, id, []byte("one")))
	require.NoError(t, client.Publish(id, []byte("two")))
	testutil.CheckFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if posted, _ := c.state(); len(posted) != 2 {
			return errors.New("published message not delivered yet")
		}
		return nil
	})
	posted, _ := c.state()
	require.Equal(t, []string{"one", "two"}, posted, "in order")

	info, err := client.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, c.info, *info)

	require.NoError(t, client.Delete(ctx, id))
	_, closed := c.state()
	require.True(t, closed)

	require.ErrorIs(t, client.Post(ctx, connid.NewConnectionID(a.tag), []byte("x")), callbacks.ErrGone, "unknown on its node")
	require.ErrorIs(t, client.Post(ctx, connid.NewConnectionID(connid.TagOf("none")), []byte("x")), connections.ErrGone, "no node")
	require.ErrorIs(t, client.Post(ctx, "bad.id", []byte("x")), connections.ErrGone)
	require.ErrorIs(t, client.Post(ctx, id, make([]byte, connections.MaxPostBytes+1)), connections.ErrPayloadTooLarge)

	c.mu.Lock()
	c.full = true
	c.mu.Unlock()
	err = client.Post(ctx, id, []byte("x"))
	require.ErrorIs(t, err, connections.ErrLimitExceeded)
	var e *connections.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, 429, e.Status)

	// A raw request on a subject of the node with an unknown operation is a bad request.
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	subj, _ := connid.Subject("patch", id)
	m, err := nc.Request(subj, nil, 5*time.Second)
	require.NoError(t, err)
	require.JSONEq(t, `{"statusCode":400,"errorType":"BadRequestException","message":"Bad Request"}`, string(m.Data))
}

func TestBackendClientWithoutNATSIsUnavailable(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc, err := nats.Connect(ns.ClientURL())
	require.NoError(t, err)
	nc.Close()
	err = connections.NewClient(nc).Post(context.Background(), connid.NewConnectionID(connid.TagOf("a")), []byte("x"))
	require.ErrorIs(t, err, connections.ErrUnavailable)
	require.ErrorIs(t, err, natsreq.ErrUnavailable, "the classification stays visible")
	require.ErrorIs(t, err, nats.ErrConnectionClosed)
}
