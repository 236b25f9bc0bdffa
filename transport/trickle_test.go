package transport

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/wait"
)

// dialPlain upgrades a bare TCP connection by hand, for clients that send bytes as they please.
func dialPlain(t testing.TB, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	_, err = nc.Write(upgradeRequest(addr))
	require.NoError(t, err)
	br := bufio.NewReader(nc)
	resp := readResponse(t, br)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return nc, br
}

// trickle writes frames to nc one byte per tick until stop is closed, then the rest of the frame
// under way at once, and returns how many frames it sent. first is called after the first byte.
func trickle(nc net.Conn, frame []byte, tick time.Duration, stop <-chan struct{}, first func()) (int, error) {
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for sent := 0; ; sent++ {
		for i := range frame {
			if _, err := nc.Write(frame[i : i+1]); err != nil {
				return sent, fmt.Errorf("write: %w", err)
			}
			if first != nil {
				first()
				first = nil
			}
			select {
			case <-ticker.C:
			case <-stop:
				if _, err := nc.Write(frame[i+1:]); err != nil {
					return sent, fmt.Errorf("write: %w", err)
				}
				return sent + 1, nil
			}
		}
	}
}

// readEchoes reads n text frames from br and checks that each carries want.
func readEchoes(nc net.Conn, br *bufio.Reader, n int, want []byte) error {
	if err := nc.SetReadDeadline(time.Now().Add(waitLong)); err != nil {
		return err
	}
	for i := range n {
		h, err := ws.ReadHeader(br)
		if err != nil {
			return fmt.Errorf("echo %d of %d: %w", i+1, n, err)
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(br, p); err != nil {
			return fmt.Errorf("echo %d of %d: %w", i+1, n, err)
		}
		if h.OpCode != ws.OpText || !bytes.Equal(p, want) {
			return fmt.Errorf("echo %d of %d: %v %q, want text %q", i+1, n, h.OpCode, p, want)
		}
	}
	return nil
}

func TestTricklingClientsDoNotDelayOtherClients(t *testing.T) {
	// 300 clients that each hold a partial frame: a third sent one header byte and stopped, a third
	// stopped inside the payload, a third trickle 125-byte frames one byte per tick. With workers
	// that wait for a frame to complete, a handful of them holds every worker until the read
	// timeout (30 s here) and every other client's echo waits as long.
	const stalled, cutShort, tricklers = 100, 100, 100
	const echoBound = 2 * time.Second
	a := newAcceptor(true)
	srv, addr := startServer(t, Config{}, a, nil)

	for range stalled {
		nc, _ := dialPlain(t, addr)
		a.next(t)
		_, err := nc.Write(text("x")[:1])
		require.NoError(t, err)
	}
	for range cutShort {
		nc, _ := dialPlain(t, addr)
		a.next(t)
		_, err := nc.Write(text(strings.Repeat("y", 125))[:20])
		require.NoError(t, err)
	}
	frame := []byte(strings.Repeat("z", 125))
	stop := make(chan struct{})
	var started, finished sync.WaitGroup
	errs := make(chan error, tricklers)
	recs := make([]*recorder, tricklers)
	for i := range tricklers {
		nc, br := dialPlain(t, addr)
		recs[i] = a.next(t)
		started.Add(1)
		finished.Go(func() {
			sent, err := trickle(nc, text(string(frame)), 5*time.Millisecond, stop, started.Done)
			if err == nil {
				err = readEchoes(nc, br, sent, frame)
			}
			errs <- err
		})
	}
	started.Wait() // every trickler has sent the first byte of its frame
	oneFrameEach := make(chan struct{})
	go func() { // each trickler has completed a frame byte by byte once the server received it
		defer close(oneFrameEach)
		for _, rec := range recs {
			select {
			case <-rec.msgs:
			case <-stop:
				return
			}
		}
	}()

	healthy := dialCoder(t, addr, nil)
	for i := 0; ; i++ {
		msg := fmt.Appendf(nil, `{"n":%d}`, i)
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), echoBound)
		require.NoError(t, healthy.Write(ctx, websocket.MessageText, msg))
		typ, got, err := healthy.Read(ctx)
		cancel()
		require.NoError(t, err, "echo %d while %d clients hold partial frames", i, stalled+cutShort+tricklers)
		require.Less(t, time.Since(start), echoBound)
		require.Equal(t, websocket.MessageText, typ)
		require.Equal(t, msg, got)
		select {
		case <-oneFrameEach:
		default:
			continue
		}
		if i >= 50 {
			break
		}
	}
	close(stop)
	<-oneFrameEach
	finished.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// No partial frame is older than the read timeout yet: everyone is still connected.
	require.Equal(t, stalled+cutShort+tricklers+1, srv.Connections())
}

func TestStalledPartialFrameClosesWith1008(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	frame := text(strings.Repeat("s", 125))
	cases := []struct {
		name string
		send func(nc net.Conn, stop <-chan struct{}) error
	}{
		{"one header byte", func(nc net.Conn, _ <-chan struct{}) error { _, err := nc.Write(frame[:1]); return err }},
		{"header and mask key only", func(nc net.Conn, _ <-chan struct{}) error { _, err := nc.Write(frame[:6]); return err }},
		{"payload cut short", func(nc net.Conn, _ <-chan struct{}) error { _, err := nc.Write(frame[:100]); return err }},
		{"a byte every 20 ms, slower than the timeout allows", func(nc net.Conn, stop <-chan struct{}) error {
			_, _ = trickle(nc, frame, 20*time.Millisecond, stop, nil) // ends with a write error once closed
			return nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcceptor(true)
			srv, addr := startServer(t, Config{Workers: 1, Limits: Limits{ReadTimeout: readTimeout}}, a, nil)
			nc, br := dialPlain(t, addr)
			rec := a.next(t)
			stop := make(chan struct{})
			sent := make(chan error, 1)
			start := time.Now()
			go func() { sent <- tc.send(nc, stop) }()

			// Meanwhile the only worker serves others.
			fast := dialCoder(t, addr, nil)
			ctx, cancel := context.WithTimeout(context.Background(), waitLong)
			defer cancel()
			require.NoError(t, fast.Write(ctx, websocket.MessageText, []byte("fast")))
			_, got, err := fast.Read(ctx)
			require.NoError(t, err)
			require.Equal(t, "fast", string(got))

			c := &rawClient{nc: nc, r: br}
			c.requireClose(t, ws.StatusPolicyViolation)
			rec.requireClosed(t, ws.StatusPolicyViolation, "read timeout")
			require.GreaterOrEqual(t, time.Since(start), readTimeout, "closed before the frame was older than the timeout")
			close(stop)
			require.NoError(t, <-sent)
			wait.For(t, waitLong, time.Millisecond, func() error {
				if n := srv.Connections(); n != 1 {
					return fmt.Errorf("%d connections open, want only the fast one", n)
				}
				return nil
			})
		})
	}
}

func TestManyStalledPartialFramesAllTimeOut(t *testing.T) {
	const n = 200
	a := newAcceptor(false)
	srv, addr := startServer(t, Config{Workers: 1, Limits: Limits{ReadTimeout: 200 * time.Millisecond}}, a, nil)
	clients := make([]*rawClient, n)
	recs := make([]*recorder, n)
	for i := range n {
		nc, br := dialPlain(t, addr)
		recs[i] = a.next(t)
		_, err := nc.Write(text("never finished")[:1+i%10])
		require.NoError(t, err)
		clients[i] = &rawClient{nc: nc, r: br}
	}
	for i := range n {
		clients[i].requireClose(t, ws.StatusPolicyViolation)
		recs[i].requireClosed(t, ws.StatusPolicyViolation, "read timeout")
	}
	wait.For(t, waitLong, time.Millisecond, func() error {
		if c := srv.Connections(); c != 0 {
			return fmt.Errorf("%d connections still open", c)
		}
		return nil
	})
}
