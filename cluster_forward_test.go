package portico_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/internal/testutil"
)

// startPair starts two nodes on the first one's embedded NATS, with forwardTimeout set, and waits
// until each sees the other.
func startPair(t *testing.T, forwardTimeout string) (*portico.Node, *portico.Node) {
	t.Helper()
	creds := "connectionsApi:\n  forwardTimeout: " + forwardTimeout
	first := testutil.StartNode(t, testutil.LoadConfig(t, connectionsConfig(creds)))
	cfg := testutil.LoadConfig(t, connectionsConfig(creds))
	cfg.Node.NATS = first.NATSURL()
	second := testutil.StartNode(t, cfg)
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		for _, n := range []*portico.Node{first, second} {
			if got := len(n.Peers()); got != 2 {
				return fmt.Errorf("a node sees %d nodes", got)
			}
		}
		return nil
	})
	return first, second
}

// connectionsCall makes one unsigned (loopback) @connections call on n and returns its status and
// X-Amzn-ErrorType.
func connectionsCall(t *testing.T, n *portico.Node, method, id string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, fmt.Sprintf("http://%s/prod/@connections/%s", n.Addr(), id), strings.NewReader("hi"))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype")
}

// silentNode subscribes to tag's node subject and never answers: a node that is gone but whose
// subscription lingers, or one that hangs. It reports each call it gets on calls.
func silentNode(t *testing.T, url string, tag connid.NodeTag) (*nats.Conn, <-chan string) {
	t.Helper()
	nc := testutil.ConnectNATS(t, url)
	calls := make(chan string, 16)
	_, err := nc.Subscribe(connid.NodeSubject(tag), func(m *nats.Msg) { calls <- m.Subject })
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	return nc, calls
}

// TestForwardToNonMemberIsGoneAtOnce: a post, get or delete for a connection whose node is not a
// member of the cluster answers 410 GoneException at once, without a NATS request, even though
// something still listens on that node's subject and would hold the call for forwardTimeout.
func TestForwardToNonMemberIsGoneAtOnce(t *testing.T) {
	first, second := startPair(t, "5s")
	ghost := connid.TagOf("ghost-node")
	_, calls := silentNode(t, first.NATSURL(), ghost)
	id := connid.NewConnectionID(ghost)
	for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
		start := time.Now()
		status, kind := connectionsCall(t, first, method, id)
		require.Equal(t, http.StatusGone, status, method)
		require.Equal(t, "GoneException", kind, method)
		require.Less(t, time.Since(start), time.Second, method)
	}
	select {
	case s := <-calls:
		t.Fatalf("a request was sent for a non-member node: %s", s)
	default:
	}

	// A member's connections are still reached through the other node.
	client, idB := connect(t, second, "prod")
	status, _ := connectionsCall(t, first, http.MethodPost, idB)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "hi", read(t, client))
}

// TestForwardToSilentMemberIsUnavailable: a node that is a member but does not answer gets 503
// once connectionsApi.forwardTimeout has passed.
func TestForwardToSilentMemberIsUnavailable(t *testing.T) {
	first, _ := startPair(t, "300ms")
	slow := connid.TagOf("slow-node")
	nc, calls := silentNode(t, first.NATSURL(), slow)
	hb, err := json.Marshal(callbacks.Peer{NodeID: "slow-node", Tag: slow.String()})
	require.NoError(t, err)
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		require.NoError(t, nc.Publish("portico.nodes.heartbeat", hb))
		for _, p := range first.Peers() {
			if p.Tag == slow.String() {
				return nil
			}
		}
		return fmt.Errorf("slow-node not seen yet")
	})
	start := time.Now()
	status, kind := connectionsCall(t, first, http.MethodPost, connid.NewConnectionID(slow))
	took := time.Since(start)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.NotEqual(t, "GoneException", kind)
	require.GreaterOrEqual(t, took, 300*time.Millisecond)
	require.Less(t, took, 3*time.Second)
	require.Contains(t, <-calls, "post")
}
