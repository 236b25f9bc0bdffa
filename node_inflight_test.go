package portico_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

// hangingAPI routes every message to a NATS subject whose backend never answers (until released),
// and "big" to one that answers with a route response of the given size.
const hangingAPI = `
node: { maxInflightIntegrations: %NODE% }
websocket: { maxInflightPerConnection: %CONN% }
apis:
  - name: hang
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: NATS, integrationUri: test.hang, timeoutInMillis: 20000 }
        routeResponseSelectionExpression: $default
      - routeKey: big
        integration: { integrationType: NATS, integrationUri: test.big }
        routeResponseSelectionExpression: $default
    stages: [ { stageName: dev } ]
`

func hangingConfig(node, conn int) string {
	return strings.NewReplacer("%NODE%", fmt.Sprint(node), "%CONN%", fmt.Sprint(conn)).Replace(hangingAPI)
}

// holdRequests subscribes to subject and keeps every request unanswered until the test ends (then
// answers them); it returns a function reporting how many arrived.
func holdRequests(t *testing.T, nc *nats.Conn, subject string) func() int {
	var mu sync.Mutex
	var held []*nats.Msg
	sub, err := nc.Subscribe(subject, func(m *nats.Msg) { mu.Lock(); held = append(held, m); mu.Unlock() })
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	t.Cleanup(func() {
		// Answer what was held, so the node's drain need not wait out the integration timeout.
		_ = sub.Unsubscribe()
		mu.Lock()
		defer mu.Unlock()
		for _, m := range held {
			_ = m.Respond([]byte(`{"statusCode":200}`))
		}
	})
	return func() int { mu.Lock(); defer mu.Unlock(); return len(held) }
}

func TestMessagesOverTheConnectionsInflightBoundAreThrottledAndTheConnectionStays(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, hangingConfig(10000, 8)))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	arrived := holdRequests(t, nc, "test.hang")
	base := runtime.NumGoroutine()

	c := dial(t, testutil.WSURL(n, "dev"), nil)
	const sent = 500
	for i := 0; i < sent; i++ {
		send(t, c, fmt.Sprintf(`{"n":%d}`, i))
	}
	for i := 0; i < sent-8; i++ {
		frame := read(t, c)
		require.True(t, strings.HasPrefix(frame, `{"message": "Too Many Requests", "connectionId":"`), frame)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if got := arrived(); got != 8 {
			return fmt.Errorf("%d requests reached the backend, want 8", got)
		}
		return nil
	})
	require.EqualValues(t, 8, n.Engine().Inflight())
	require.Less(t, runtime.NumGoroutine()-base, 100, "goroutines grow with in-flight calls, not with messages")
	// Another connection is not held back by the first one's bound.
	c2 := dial(t, testutil.WSURL(n, "dev"), nil)
	send(t, c2, `{"n":"other"}`)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if got := arrived(); got != 9 {
			return fmt.Errorf("%d requests reached the backend, want 9", got)
		}
		return nil
	})
}

func TestMessagesOverTheNodesInflightBoundAreThrottled(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, hangingConfig(3, 64)))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	arrived := holdRequests(t, nc, "test.hang")
	for i := 0; i < 3; i++ {
		send(t, dial(t, testutil.WSURL(n, "dev"), nil), `{"n":1}`)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if got := arrived(); got != 3 {
			return fmt.Errorf("%d requests reached the backend, want 3", got)
		}
		return nil
	})
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	send(t, c, `{"n":2}`)
	require.True(t, strings.HasPrefix(read(t, c), `{"message": "Too Many Requests", "connectionId":"`))
	require.Equal(t, 3, arrived())
}

func TestRouteResponseOverTheMessageLimitIsAnErrorFrame(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, hangingConfig(10000, 64)))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	sub, err := nc.Subscribe("test.big", func(m *nats.Msg) {
		size := 1000
		if strings.Contains(string(m.Data), `\"size\":\"large\"`) {
			size = 128<<10 + 1
		}
		_ = m.Respond([]byte(fmt.Sprintf(`{"statusCode":200,"body":%q}`, strings.Repeat("x", size))))
	})
	require.NoError(t, err)
	defer sub.Unsubscribe()
	require.NoError(t, nc.Flush())
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	send(t, c, `{"action":"big","size":"large"}`)
	require.True(t, strings.HasPrefix(read(t, c), `{"message": "Internal server error", "connectionId":"`))
	send(t, c, `{"action":"big","size":"small"}`)
	require.Equal(t, strings.Repeat("x", 1000), read(t, c))
}

func TestHTTPRequestsOverTheNodesInflightBoundGet429(t *testing.T) {
	backend := make(chan struct{})
	srv := startHangingBackend(t, backend)
	n := testutil.StartNode(t, testutil.LoadConfig(t, `
node: { maxInflightIntegrations: 1 }
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /slow
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+srv+`/slow" }
      - routeKey: GET /mock
        integration: { integrationType: MOCK, templates: { $default: "ok" } }
`))
	base := "http://" + n.Addr().String()
	first := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-backend // the first request holds the node's one slot
	resp, err := http.Get(base + "/slow")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 429, resp.StatusCode)
	require.Equal(t, `{"message":"Too Many Requests"}`, string(body))
	// MOCK integrations need no slot.
	resp, err = http.Get(base + "/mock")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	backend <- struct{}{}
	require.Equal(t, 200, <-first)
}

// startHangingBackend answers each request only after the test sends on release; it signals on
// release when a request arrives.
func startHangingBackend(t *testing.T, release chan struct{}) string {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		release <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		_, _ = w.Write([]byte("done"))
	})}
	ln := listenLoopback(t)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

func listenLoopback(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}
