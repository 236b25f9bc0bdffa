package transport

import (
	"bytes"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

func TestTryWriteWritesWholeFramesUntilTheClientStopsReading(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)

	ok, err := rec.conn.TryWriteText([]byte("hello"))
	require.NoError(t, err)
	require.True(t, ok)
	h, p := c.readFrame(t)
	require.Equal(t, ws.OpText, h.OpCode)
	require.Equal(t, "hello", string(p))

	// The client reads nothing more: the socket fills and TryWrite refuses, without waiting.
	chunk := bytes.Repeat([]byte{'x'}, 32<<10)
	accepted := 0
	for i := 0; i < 100_000; i++ {
		start := time.Now()
		ok, err := rec.conn.TryWriteBinary(chunk)
		require.NoError(t, err)
		require.Less(t, time.Since(start), time.Second, "TryWrite waited on the client")
		if !ok {
			break
		}
		accepted++
	}
	require.Less(t, accepted, 100_000, "the socket never filled")

	// A frame the socket refused was not written at all: once the client reads, every accepted
	// frame arrives whole, then the next write goes through.
	done := make(chan error, 1)
	go func() { done <- rec.conn.WriteText([]byte("after")) }()
	for range accepted {
		h, p := c.readFrame(t)
		require.Equal(t, ws.OpBinary, h.OpCode)
		require.Equal(t, chunk, p)
	}
	h, p = c.readFrame(t)
	require.Equal(t, ws.OpText, h.OpCode)
	require.Equal(t, "after", string(p))
	require.NoError(t, <-done)
}

func TestTryWriteOnClosedConnectionFails(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)
	require.NoError(t, rec.conn.Close(ws.StatusNormalClosure, ""))
	c.requireClose(t, ws.StatusNormalClosure)
	ok, err := rec.conn.TryWriteText([]byte("late"))
	require.False(t, ok)
	require.ErrorIs(t, err, ErrClosed)
}
