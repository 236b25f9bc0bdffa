package portico_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

// rawHandshake opens a WebSocket connection with a hand-written handshake and no reader goroutine,
// so the only goroutines a connection can add are the server's.
func rawHandshake(t *testing.T, addr, path string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", path, addr)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 256), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	require.NoError(t, conn.SetReadDeadline(time.Time{}))
	return conn
}

func TestIdleConnectionsHoldNoGoroutines(t *testing.T) {
	const conns = 2000
	n := testutil.StartNode(t, testutil.LoadConfig(t, echoConfig("10m", "2h")))
	addr := n.Addr().String()
	// Warm up: the first connections start the poller and worker machinery.
	warm := rawHandshake(t, addr, "/dev")
	defer warm.Close()
	runtime.GC()
	before := runtime.NumGoroutine()
	clients := make([]net.Conn, 0, conns)
	defer func() {
		for _, c := range clients {
			_ = c.Close()
		}
	}()
	for i := 0; i < conns; i++ {
		clients = append(clients, rawHandshake(t, addr, "/dev"))
	}
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if got := n.Connections().Count(); got != conns+1 {
			return fmt.Errorf("%d connections open", got)
		}
		return nil
	})
	var after int
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		after = runtime.NumGoroutine()
		if after-before > 20 {
			return fmt.Errorf("goroutines grew from %d to %d with %d idle connections", before, after, conns)
		}
		return nil
	})
	t.Logf("goroutines: %d before, %d with %d idle connections", before, after, conns)
}
