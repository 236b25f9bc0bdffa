package main

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/portico-gateway/portico/internal/wait"
)

// startTestBaseline runs the baseline in this process on loopback ports.
func startTestBaseline(t *testing.T) (wsURL string, b *baseline, admin string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b, err = startBaseline(ln, adminLn, baselineConfig{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	return "ws://" + ln.Addr().String() + "/", b, "http://" + adminLn.Addr().String()
}

// checkFor polls cond every 20ms until it returns nil or total passes.

func TestLoadClientEchoesThroughTheBaseline(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs after the baseline's own cleanup
	url, b, admin := startTestBaseline(t)
	s := &serverProc{name: baseName, adminURL: admin, connMetric: baselineConnMetric, http: http.DefaultClient, exited: make(chan struct{})}

	lc := &loadClient{target: url}
	r, err := lc.connect(20)
	require.NoError(t, err)
	require.Equal(t, 20, r.Conns)
	require.Zero(t, r.Failed, r.FirstError)
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 20, 100*time.Millisecond) })
	require.Equal(t, 20, b.srv.Connections())

	for _, size := range []int{64, 4096} {
		r, err = lc.echo(size, 2*time.Second, 50)
		require.NoError(t, err)
		require.Zero(t, r.Failed, r.FirstError)
		require.Zero(t, r.Mismatched)
		require.Equal(t, uint64(20*50), r.Sent, "bounded by count before time")
		require.Equal(t, r.Sent, r.Latency.N)
		require.Positive(t, r.Latency.quantile(0.99))
	}

	m, err := s.metrics(mHeapInuse, mGoroutines, mGCCount)
	require.NoError(t, err)
	require.Positive(t, m[mHeapInuse])

	lc.closeAll()
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 0, 100*time.Millisecond) })
}

func TestLoadClientRefusesBadCommands(t *testing.T) {
	lc := &loadClient{target: "ws://127.0.0.1:1/"}
	tests := []struct {
		name string
		req  clientRequest
	}{
		{"unknown op", clientRequest{Op: "explode"}},
		{"too many connections", clientRequest{Op: "connect", N: maxClientConns + 1}},
		{"echo without time", clientRequest{Op: "echo", Size: 64, MaxPerConn: 1}},
		{"echo without size", clientRequest{Op: "echo", Duration: time.Second, MaxPerConn: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lc.do(tt.req)
			require.Error(t, err)
		})
	}
}

func TestLoadClientReportsRefusedConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	lc := &loadClient{target: "ws://" + addr + "/"}
	r, err := lc.connect(3)
	require.NoError(t, err)
	require.Equal(t, 0, r.Conns)
	require.Equal(t, 3, r.Failed)
	require.NotEmpty(t, r.FirstError)
}
