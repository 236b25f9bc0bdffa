package portico_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/coder/websocket"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/internal/testutil"
)

// startCluster starts a three-server NATS cluster and three Portico nodes, node i connected to server
// i first (and knowing the others for failover).
func startCluster(t *testing.T) ([]*server.Server, []*portico.Node) {
	t.Helper()
	servers := testutil.StartNATSCluster(t, 3)
	nodes := make([]*portico.Node, 3)
	for i := range nodes {
		urls := []string{servers[i].ClientURL()}
		for j, s := range servers {
			if j != i {
				urls = append(urls, s.ClientURL())
			}
		}
		cfg := testutil.LoadConfig(t, connectionsConfig(""))
		cfg.Node.NATS = strings.Join(urls, ",")
		cfg.Node.NodeID = fmt.Sprintf("node-%c", 'a'+i)
		nodes[i] = testutil.StartNode(t, cfg)
	}
	return servers, nodes
}

func TestConnectionsAcrossNodes(t *testing.T) {
	servers, nodes := startCluster(t)
	a, b, c := nodes[0], nodes[1], nodes[2]
	ctx := context.Background()

	clientC, idC := connect(t, c, "prod")
	clientA, idA := connect(t, a, "prod")
	require.NotEqual(t, idA[:8], idC[:8], "ids name their node")

	// A post made through node A reaches the client on node C.
	viaA := sdk(a, "prod", "AKID", "SECRET")
	_, err := viaA.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idC, Data: []byte("from A")})
	require.NoError(t, err)
	require.Equal(t, "from A", read(t, clientC))

	// GET and DELETE through node B.
	viaB := sdk(b, "prod", "AKID", "SECRET")
	out, err := viaB.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &idC})
	require.NoError(t, err)
	require.Equal(t, "push-test/2", *out.Identity.UserAgent)

	// Every node sees the others.
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		for _, n := range nodes {
			if got := len(n.Peers()); got != 3 {
				return fmt.Errorf("a node sees %d nodes", got)
			}
		}
		return nil
	})

	// Stopping one NATS server (node B's first) keeps the system working: B reconnects elsewhere.
	servers[1].Shutdown()
	servers[1].WaitForShutdown()
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		_, err := viaB.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idC, Data: []byte("via B after failover")})
		return err
	})
	for {
		if msg := read(t, clientC); msg == "via B after failover" {
			break
		}
	}

	_, err = viaB.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: &idC})
	require.NoError(t, err)
	require.Equal(t, websocket.StatusNormalClosure, readClose(t, clientC))

	// Stopping node C: its connections answer 410 at once, node A's client is untouched.
	clientC2, idC2 := connect(t, c, "prod")
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, c.Shutdown(sctx))
	require.Equal(t, websocket.StatusGoingAway, readClose(t, clientC2))
	start := time.Now()
	_, err = viaA.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idC2, Data: []byte("x")})
	var gone *types.GoneException
	require.ErrorAs(t, err, &gone)
	require.Less(t, time.Since(start), 5*time.Second)
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		if got := len(a.Peers()); got != 2 {
			return fmt.Errorf("node A sees %d nodes after C left", got)
		}
		return nil
	})

	send(t, clientA, `{"action":"echo","still":"here"}`)
	require.Equal(t, `{"action":"echo","still":"here"}`, read(t, clientA))
	_, err = viaB.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idA, Data: []byte("A still reachable")})
	require.NoError(t, err)
	require.Equal(t, "A still reachable", read(t, clientA))
}

func TestTenThousandPostsArriveInOrderAcrossNodes(t *testing.T) {
	servers, nodes := startCluster(t)
	client, id := connect(t, nodes[2], "prod")
	backend := callbacks.NewClient(testutil.ConnectNATS(t, servers[0].ClientURL()))
	const total = 10_000
	received := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		for want := 0; want < total; want++ {
			_, data, err := client.Read(ctx)
			if err != nil {
				received <- fmt.Errorf("after %d messages: %w", want, err)
				return
			}
			if got, _ := strconv.Atoi(string(data)); got != want || string(data) != strconv.Itoa(want) {
				received <- fmt.Errorf("message %d is %q", want, data)
				return
			}
		}
		received <- nil
	}()
	ctx := context.Background()
	for i := 0; i < total; i++ {
		var err error
		if i%100 == 99 {
			err = backend.Post(ctx, id, []byte(strconv.Itoa(i))) // a round trip now and then bounds the backlog
		} else {
			err = backend.Publish(id, []byte(strconv.Itoa(i)))
		}
		require.NoError(t, err)
	}
	select {
	case err := <-received:
		require.NoError(t, err)
	case <-time.After(60 * time.Second):
		t.Fatal(errors.New("client did not receive every message"))
	}
}

func TestPostAnswers503WhileNATSIsDown(t *testing.T) {
	ns := testutil.StartNATS(t)
	var nodes []*portico.Node
	for i := 0; i < 2; i++ {
		cfg := testutil.LoadConfig(t, connectionsConfig(""))
		cfg.Node.NATS = ns.ClientURL()
		cfg.Node.NodeID = fmt.Sprintf("solo-%d", i)
		nodes = append(nodes, testutil.StartNode(t, cfg))
	}
	clientB, idB := connect(t, nodes[1], "prod")
	clientA, idA := connect(t, nodes[0], "prod")
	viaA := sdk(nodes[0], "prod", "AKID", "SECRET")
	ctx := context.Background()
	_, err := viaA.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idB, Data: []byte("up")})
	require.NoError(t, err)
	require.Equal(t, "up", read(t, clientB))

	ns.Shutdown()
	ns.WaitForShutdown()
	start := time.Now()
	_, err = viaA.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idB, Data: []byte("down")})
	require.Error(t, err)
	require.Contains(t, err.Error(), "StatusCode: 503")
	require.Less(t, time.Since(start), 4*time.Second, "nothing hangs: the drop fails the call at once")

	// Node A's own connections do not need NATS.
	_, err = viaA.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &idA, Data: []byte("local")})
	require.NoError(t, err)
	require.Equal(t, "local", read(t, clientA))
}
