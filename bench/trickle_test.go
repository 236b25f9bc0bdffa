package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/portico-gateway/portico/internal/wait"
)

func TestTrickleOpHoldsPartialFramesUntilClose(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	url, _, s := startFanoutBaseline(t)
	lc := &loadClient{target: url}
	t.Cleanup(lc.closeAll)
	r, err := lc.connect(4)
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 4, 100*time.Millisecond) })

	r, err = lc.do(clientRequest{Op: "trickle"})
	require.NoError(t, err)
	require.Equal(t, 4, r.Conns)
	_, err = lc.do(clientRequest{Op: "trickle"})
	require.Error(t, err, "a second trickle before close")

	// An echo client beside them is served while they trickle.
	echo := &loadClient{target: url}
	t.Cleanup(echo.closeAll)
	_, err = echo.connect(1)
	require.NoError(t, err)
	er, err := echo.echo(64, 200*time.Millisecond, 1000)
	require.NoError(t, err)
	require.Zero(t, er.Failed, er.FirstError)
	require.NotZero(t, er.Latency.N)

	r, err = lc.do(clientRequest{Op: "trickled"})
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	require.NoError(t, waitConnections(s, 5, time.Second))
	lc.closeAll()
	_, err = lc.do(clientRequest{Op: "trickled"})
	require.Error(t, err)
}
