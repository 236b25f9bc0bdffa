package portico_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

const echoAPI = `
websocket:
  maxFrameBytes: 1024
  maxMessageBytes: 4096
  idleTimeout: %IDLE%
  maxConnectionDuration: %LIFE%
  outboundQueueBytes: 65536
  writeTimeout: 30s
apis:
  - name: echo
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: dev
`

func echoConfig(idle, life string) string {
	return strings.NewReplacer("%IDLE%", idle, "%LIFE%", life).Replace(echoAPI)
}

func TestMessageOverLimitClosesWith1009(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	send(t, c, strings.Repeat("a", 1024))
	require.Equal(t, strings.Repeat("a", 1024), read(t, c))
	// One frame over maxFrameBytes.
	send(t, c, strings.Repeat("a", 1025))
	require.Equal(t, websocket.StatusMessageTooBig, readClose(t, c))
}

func TestInvalidUTF8ClosesWith1007(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	send(t, c, "ok\xff\xfe")
	require.Equal(t, websocket.StatusInvalidFramePayloadData, readClose(t, c))
}

func TestBinaryMessageClosesWith1003(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte{1, 2, 3}))
	require.Equal(t, websocket.StatusUnsupportedData, readClose(t, c))
}

func TestIdleConnectionIsClosedWith1001(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("300ms", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	start := time.Now()
	require.Equal(t, websocket.StatusGoingAway, readClose(t, c))
	require.GreaterOrEqual(t, time.Since(start), 250*time.Millisecond)
}

func TestMessagesKeepConnectionFromIdling(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("400ms", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	deadline := time.Now().Add(1200 * time.Millisecond)
	for time.Now().Before(deadline) {
		send(t, c, "ping")
		require.Equal(t, "ping", read(t, c))
		time.Sleep(100 * time.Millisecond) // the client's pacing, not synchronisation
	}
}

func TestConnectionLifetimeEndsWith1001EvenWhenBusy(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "500ms")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if err := c.Write(ctx, websocket.MessageText, []byte("x")); err != nil {
			break
		}
		_, _, err := c.Read(ctx)
		if err != nil {
			require.Equal(t, websocket.StatusGoingAway, websocket.CloseStatus(err))
			return
		}
	}
	require.Equal(t, websocket.StatusGoingAway, readClose(t, c))
}

// A client that sends but never reads fills its receive window; the server's replies then pile up in
// the connection's outbound queue until it overflows and the connection is closed. Server memory
// stays bounded by the queue, not by what the client is sent.
func TestClientThatNeverReadsIsClosedAndMemoryStaysBounded(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "2h")))
	c := dial(t, testutil.WSURL(n, "dev"), nil)
	msg := []byte(strings.Repeat("m", 1000))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sent := 0
	for ; sent < 200_000; sent++ { // up to 200 MB of replies if nothing stopped it
		if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
			break
		}
		if sent%1000 == 0 && n.Connections().Count() == 0 {
			break
		}
	}
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if n.Connections().Count() != 0 {
			return errors.New("non-reading client still connected")
		}
		return nil
	})
	require.Less(t, sent, 200_000, "the server never closed the non-reading client")
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("sent %d messages before close; heap grew %d KiB", sent, grown/1024)
	require.Less(t, grown, int64(32<<20), "server memory grew with the unread replies")
}

func TestHTTPProxyIntegrationPostsMessageAndForwardsHandshake(t *testing.T) {
	var mu sync.Mutex
	var connectHeader http.Header
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/connect":
			connectHeader = r.Header.Clone()
			if r.Header.Get("X-Token") != "ok" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
		case "/default":
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, r.Method+" "+string(b)+" conn="+r.Header.Get("connectionId"))
			_, _ = w.Write([]byte("backend saw " + string(b)))
		}
	}))
	t.Cleanup(srv.Close)
	cfg := testutil.LoadConfig(t, `
apis:
  - name: proxied
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    routes:
      - routeKey: $connect
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+srv.URL+`/connect", integrationMethod: GET }
      - routeKey: $default
        integration:
          integrationType: HTTP_PROXY
          integrationUri: "`+srv.URL+`/default"
          requestParameters: { integration.request.header.connectionId: context.connectionId }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: v1
`)
	n := testutil.StartNode(t, cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, testutil.WSURL(n, "v1"), nil)
	require.Error(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	c := dial(t, testutil.WSURL(n, "v1"), &websocket.DialOptions{HTTPHeader: http.Header{"X-Token": {"ok"}}})
	send(t, c, "plain text")
	got := read(t, c)
	require.Equal(t, "backend saw plain text", got)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, "ok", connectHeader.Get("X-Token"))
	require.Empty(t, connectHeader.Get("Sec-Websocket-Key"), "handshake-only headers are not forwarded")
	require.Len(t, bodies, 1)
	require.True(t, strings.HasPrefix(bodies[0], "POST plain text conn="), bodies[0])
	require.Greater(t, len(bodies[0]), len("POST plain text conn="))
}

func TestNATSUnreachableSendsErrorFrameFastAndConnectionStays(t *testing.T) {
	ns := testutil.StartNATS(t)
	cfg := testutil.LoadConfig(t, `
apis:
  - name: natsdown
    protocolType: WEBSOCKET
    routes:
      - routeKey: echo
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
      - routeKey: $default
        integration: { integrationType: NATS, integrationUri: backend.default }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`)
	cfg.Node.NATS = ns.ClientURL()
	n := testutil.StartNode(t, cfg)
	c := dial(t, testutil.WSURL(n, "prod"), nil)

	// No backend subscribed: fails at once (no responders), not after the 29 s timeout.
	start := time.Now()
	send(t, c, `{"action":"x"}`)
	require.Contains(t, read(t, c), `{"message": "Internal server error"`)
	require.Less(t, time.Since(start), 5*time.Second)

	ns.Shutdown()
	ns.WaitForShutdown()
	start = time.Now()
	send(t, c, `{"action":"x"}`)
	require.Contains(t, read(t, c), `{"message": "Internal server error"`)
	require.Less(t, time.Since(start), 5*time.Second)
	send(t, c, `{"action":"echo"}`)
	require.Equal(t, `{"action":"echo"}`, read(t, c))
}
