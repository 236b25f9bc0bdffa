package transport

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestPlainRequestsGoToTheHTTPHandler(t *testing.T) {
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "plain "+r.Method)
	})
	cases := []struct {
		name    string
		handler http.Handler
		method  string
		upgrade bool
		status  int
		body    string
	}{
		{"GET", plain, http.MethodGet, false, http.StatusOK, "plain GET"},
		{"POST carrying an upgrade header", plain, http.MethodPost, true, http.StatusOK, "plain POST"},
		{"no handler", nil, http.MethodGet, false, http.StatusNotFound, "404 page not found\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcceptor(false)
			_, addr := startServer(t, Config{}, a, tc.handler)
			req, err := http.NewRequest(tc.method, "http://"+addr+"/pets", nil)
			require.NoError(t, err)
			if tc.upgrade {
				req.Header.Set("Upgrade", "websocket")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tc.status, resp.StatusCode)
			require.Equal(t, tc.body, string(body))
			require.Zero(t, a.handshakes.Load())
		})
	}
}

func TestMalformedUpgradeIsRefusedBeforeTheHandshake(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(h http.Header)
		status  int
		version string
	}{
		{"no key", func(h http.Header) { h.Del("Sec-WebSocket-Key") }, http.StatusBadRequest, ""},
		{"short key", func(h http.Header) { h.Set("Sec-WebSocket-Key", "abc") }, http.StatusBadRequest, ""},
		{"old version", func(h http.Header) { h.Set("Sec-WebSocket-Version", "8") }, http.StatusUpgradeRequired, "13"},
		{"no Connection upgrade", func(h http.Header) { h.Set("Connection", "keep-alive") }, http.StatusBadRequest, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcceptor(false)
			_, addr := startServer(t, Config{}, a, nil)
			req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
			require.NoError(t, err)
			req.Header.Set("Upgrade", "websocket")
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			req.Header.Set("Sec-WebSocket-Version", "13")
			tc.edit(req.Header)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			_ = resp.Body.Close()
			require.Equal(t, tc.status, resp.StatusCode)
			require.Equal(t, tc.version, resp.Header.Get("Sec-WebSocket-Version"))
			require.Zero(t, a.handshakes.Load())
		})
	}
}

func TestRefusedHandshakeAnswersWithTheDecision(t *testing.T) {
	a := newAcceptor(false)
	a.decide = func(*http.Request) Decision {
		return Decision{Status: http.StatusForbidden, Header: http.Header{"X-Reason": {"no token"}}, Body: []byte(`{"message":"Forbidden"}`)}
	}
	srv, addr := startServer(t, Config{}, a, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws://"+addr+"/", nil)
	require.Error(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Equal(t, "no token", resp.Header.Get("X-Reason"))
	require.Empty(t, resp.Header.Get("Upgrade"))
	require.Zero(t, srv.Connections())
	require.Empty(t, a.recorders)
}

func TestDecisionHeaderReachesThe101(t *testing.T) {
	a := newAcceptor(true)
	a.decide = func(r *http.Request) Decision {
		assert.Contains(t, r.Header.Get("Sec-WebSocket-Protocol"), "chat.v2") // not require: not the test's goroutine
		return Decision{Header: http.Header{"Sec-WebSocket-Protocol": {"chat.v2"}}}
	}
	_, addr := startServer(t, Config{}, a, nil)
	c := dialCoder(t, addr, &websocket.DialOptions{Subprotocols: []string{"chat.v1", "chat.v2"}})
	require.Equal(t, "chat.v2", c.Subprotocol())
}

func TestPipelinedFirstFrameIsDelivered(t *testing.T) {
	a := newAcceptor(true)
	_, addr := startServer(t, Config{}, a, nil)
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()

	// The request, a whole frame and half of the next one, in one write.
	second := text("second")
	batch := append(append(upgradeRequest(addr), text("first")...), second[:5]...)
	_, err = nc.Write(batch)
	require.NoError(t, err)
	br := bufio.NewReader(nc)
	resp := readResponse(t, br)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	c := &rawClient{nc: nc, r: br}
	_, p := c.readFrame(t)
	require.Equal(t, "first", string(p))

	c.write(t, second[5:])
	_, p = c.readFrame(t)
	require.Equal(t, "second", string(p))
}

func TestSlowPartialFrameTimesOutAndFreesTheWorker(t *testing.T) {
	a := newAcceptor(true)
	_, addr := startServer(t, Config{Workers: 1, Limits: Limits{ReadTimeout: 200 * time.Millisecond}}, a, nil)
	slow := dialRaw(t, addr)
	slowRec := a.next(t)
	fast := dialRaw(t, addr)

	slow.write(t, text("never finished")[:7])
	fast.write(t, text("fast"))
	_, p := fast.readFrame(t) // the only worker is free again
	require.Equal(t, "fast", string(p))
	slow.requireClose(t, ws.StatusPolicyViolation)
	slowRec.requireClosed(t, ws.StatusPolicyViolation, "read timeout")
}

func TestUpgradeAfterCloseReportsOnFailed(t *testing.T) {
	a := newAcceptor(false)
	entered, release := make(chan struct{}), make(chan struct{})
	failed := make(chan error, 1)
	a.decide = func(*http.Request) Decision {
		close(entered)
		<-release
		return Decision{
			OnUpgraded: func(*Conn) ConnHandler { t.Error("upgraded after Close"); return nil },
			OnFailed:   func(err error) { failed <- err },
		}
	}
	srv, addr := startServer(t, Config{}, a, nil)
	dialed := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		defer cancel()
		_, _, err := websocket.Dial(ctx, "ws://"+addr+"/", nil)
		dialed <- err
	}()
	<-entered
	require.NoError(t, srv.Close())
	close(release)
	require.ErrorIs(t, <-failed, http.ErrServerClosed)
	require.Error(t, <-dialed)
}

func TestServerCloseClosesEveryConnectionWithGoingAway(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	a := newAcceptor(true)
	srv, err := New(Config{}, a, nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()

	const n = 20
	var clients []*rawClient
	var recs []*recorder
	for range n {
		clients = append(clients, dialRaw(t, addr))
		recs = append(recs, a.next(t))
	}
	clients[0].write(t, text("busy")) // one connection has just been read
	_, _ = clients[0].readFrame(t)
	require.Equal(t, n, srv.Connections())

	require.NoError(t, srv.Close())
	require.ErrorIs(t, <-served, http.ErrServerClosed)
	require.Zero(t, srv.Connections())
	for i := range n {
		recs[i].requireClosed(t, ws.StatusGoingAway, "")
		clients[i].requireClose(t, ws.StatusGoingAway)
		_ = clients[i].nc.Close()
	}
	require.NoError(t, srv.Close(), "Close is idempotent")
	goleak.VerifyNone(t, ignore)
}

func TestShutdownKeepsUpgradedConnections(t *testing.T) {
	a := newAcceptor(true)
	srv, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	a.next(t)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	require.NoError(t, srv.Shutdown(ctx))
	_, err := net.Dial("tcp", addr)
	require.Error(t, err, "the listener is closed")
	c.write(t, text("still here"))
	_, p := c.readFrame(t)
	require.Equal(t, "still here", string(p))
}

func TestIdleConnectionsHoldNoGoroutines(t *testing.T) {
	if !idleWithoutGoroutine {
		t.Skip("the portable poller parks a goroutine per idle connection")
	}
	const n = 2000
	a := newAcceptor(false)
	srv, addr := startServer(t, Config{}, a, nil)
	dialRaw(t, addr) // starts the poller and the workers
	require.Eventually(t, func() bool { return srv.Connections() == 1 }, waitLong, time.Millisecond)
	before := settledGoroutines(t, 1<<30)

	for range n {
		dialRaw(t, addr)
	}
	require.Eventually(t, func() bool { return srv.Connections() == n+1 }, waitLong, time.Millisecond)
	after := settledGoroutines(t, before+5)
	t.Logf("goroutines: %d before, %d with %d more idle connections", before, after, n)
}

// settledGoroutines waits for the goroutine count to stop moving at or below atMost and returns it.
func settledGoroutines(t testing.TB, atMost int) int {
	t.Helper()
	var last atomic.Int64
	last.Store(-1)
	var got int
	require.Eventually(t, func() bool {
		got = runtimeGoroutines()
		prev := last.Swap(int64(got))
		return got <= atMost && int64(got) == prev
	}, waitLong, 20*time.Millisecond, "goroutines did not settle at or below %d", atMost)
	return got
}

func TestNewRejectsNegativeLimits(t *testing.T) {
	_, err := New(Config{Workers: -1, Limits: Limits{MaxFrameBytes: -2}}, newAcceptor(false), nil)
	require.Error(t, err)
	require.Contains(t, err.Error(), "limits.maxFrameBytes")
	require.Contains(t, err.Error(), "workers")
	_, err = New(Config{}, nil, nil)
	require.Error(t, err)
}

func TestConnectionsCountsOpenConnections(t *testing.T) {
	a := newAcceptor(false)
	srv, addr := startServer(t, Config{}, a, nil)
	c1 := dialRaw(t, addr)
	rec := a.next(t) // c1's handler: taken before the second client, whose upgrade could overtake it
	dialRaw(t, addr)
	require.Eventually(t, func() bool { return srv.Connections() == 2 }, waitLong, time.Millisecond)
	require.NoError(t, c1.nc.Close())
	rec.requireClosed(t, ws.StatusAbnormalClosure, "")
	require.Eventually(t, func() bool { return srv.Connections() == 1 }, waitLong, time.Millisecond)
}
