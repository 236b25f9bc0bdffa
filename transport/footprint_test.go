package transport

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

func runtimeGoroutines() int { return runtime.NumGoroutine() }

// Environment of the helper process that holds idle client connections, so that they do not
// count in the server's heap.
const (
	helperAddrEnv  = "TRANSPORT_TEST_IDLE_ADDR"
	helperCountEnv = "TRANSPORT_TEST_IDLE_COUNT"
)

// TestIdleClientProcess is not a test: it is the helper process of measureIdle.
func TestIdleClientProcess(t *testing.T) {
	addr := os.Getenv(helperAddrEnv)
	if addr == "" {
		t.Skip("helper process of the idle footprint measurement")
	}
	n, err := strconv.Atoi(os.Getenv(helperCountEnv))
	require.NoError(t, err)
	conns := make([]net.Conn, 0, n)
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		nc, _, _, err := ws.Dial(ctx, "ws://"+addr+"/")
		cancel()
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(1)
		}
		conns = append(conns, nc)
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin) // hold the connections until the parent lets go
	runtime.KeepAlive(conns)
}

// idleHandler accepts every upgrade with a handler that holds nothing.
type idleHandler struct{}

func (idleHandler) Handshake(*http.Request) Decision {
	return Decision{OnUpgraded: func(*Conn) ConnHandler { return nopHandler{} }}
}

// measureIdle opens n idle connections from a helper process and returns the server's heap bytes
// and goroutines per connection.
func measureIdle(tb testing.TB, n int) (heapPerConn, goroutinesPerConn float64) {
	srv, addr := startServer(tb, Config{}, idleHandler{}, nil)
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperAddrEnv+"="+addr, helperCountEnv+"=1")
	// A first connection starts the poller and the workers, and fills the pools.
	stopFirst := startHelper(tb, cmd)
	defer stopFirst()
	require.Eventually(tb, func() bool { return srv.Connections() == 1 }, waitLong, time.Millisecond)

	g0 := settledGoroutines(tb, 1<<30)
	m0 := heapAlloc()
	cmd = exec.Command(os.Args[0], "-test.run=^TestIdleClientProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperAddrEnv+"="+addr, helperCountEnv+"="+strconv.Itoa(n))
	stop := startHelper(tb, cmd)
	defer stop()
	require.Eventually(tb, func() bool { return srv.Connections() == n+1 }, 3*waitLong, time.Millisecond)
	g1 := settledGoroutines(tb, 1<<30)
	m1 := heapAlloc()
	return float64(m1-m0) / float64(n), float64(g1-g0) / float64(n)
}

// startHelper starts cmd, waits until it says ready and returns what ends it.
func startHelper(tb testing.TB, cmd *exec.Cmd) func() {
	tb.Helper()
	stdin, err := cmd.StdinPipe()
	require.NoError(tb, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	cmd.Stderr = os.Stderr
	require.NoError(tb, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(tb, err)
	require.Equal(tb, "ready\n", line)
	return func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}
}

// heapAlloc returns the live heap after a full collection (two, so that pools settle).
func heapAlloc() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func TestIdleConnectionFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 2000 connections")
	}
	heap, goroutines := measureIdle(t, 2000)
	t.Logf("idle connection: %.0f heap-B/conn, %.3f goroutines/conn", heap, goroutines)
	if idleWithoutGoroutine {
		require.Less(t, goroutines, 0.01)
	}
}

func BenchmarkIdleFootprint(b *testing.B) {
	heap, goroutines := measureIdle(b, 2000)
	for b.Loop() {
	}
	b.ReportMetric(heap, "heap-B/conn")
	b.ReportMetric(goroutines, "goroutines/conn")
}

// echoHandler writes every message back.
type echoHandler struct{}

func (echoHandler) Handshake(*http.Request) Decision {
	return Decision{OnUpgraded: func(c *Conn) ConnHandler { return echoConn{c} }}
}

type echoConn struct{ c *Conn }

func (e echoConn) OnMessage(_ ws.OpCode, p []byte) { _ = e.c.WriteText(p) }
func (echoConn) OnClose(ws.StatusCode, string)     {}

// echoClient sends one 64-byte text message and reads its echo, allocating nothing.
type echoClient struct {
	nc    net.Conn
	frame []byte
	reply []byte
}

func newEchoClient(tb testing.TB, addr string) *echoClient {
	c := dialRaw(tb, addr)
	frame := text(string(make([]byte, 64)))
	return &echoClient{nc: c.nc, frame: frame, reply: make([]byte, 2+64)}
}

func (e *echoClient) roundTrip() error {
	if _, err := e.nc.Write(e.frame); err != nil {
		return err
	}
	_, err := io.ReadFull(e.nc, e.reply)
	return err
}

func BenchmarkEcho(b *testing.B) {
	_, addr := startServer(b, Config{}, echoHandler{}, nil)
	c := newEchoClient(b, addr)
	require.NoError(b, c.roundTrip())
	b.SetBytes(64)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.roundTrip(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEchoAllocatesNothingPerMessage(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	_, addr := startServer(t, Config{}, echoHandler{}, nil)
	c := newEchoClient(t, addr)
	require.NoError(t, c.roundTrip())
	allocs := testing.AllocsPerRun(500, func() {
		if err := c.roundTrip(); err != nil {
			t.Fatal(err)
		}
	})
	require.Less(t, allocs, 0.1, "allocations per echoed message (server and client)")
}
