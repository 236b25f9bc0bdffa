package transport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

const waitLong = 10 * time.Second

// message is one message a recorder received.
type message struct {
	op      ws.OpCode
	payload []byte
}

// closeEvent is one OnClose a recorder saw.
type closeEvent struct {
	code   ws.StatusCode
	reason string
}

// recorder is a ConnHandler that records events, echoes messages when asked, and notices calls
// that overlap.
type recorder struct {
	conn *Conn
	echo bool

	msgs   chan message
	closed chan struct{}

	mu     sync.Mutex
	closes []closeEvent

	active  atomic.Int32
	overlap atomic.Bool
}

func newRecorder(c *Conn, echo bool) *recorder {
	return &recorder{conn: c, echo: echo, msgs: make(chan message, 4096), closed: make(chan struct{})}
}

func (r *recorder) enter() {
	if r.active.Add(1) != 1 {
		r.overlap.Store(true)
	}
}

func (r *recorder) exit() { r.active.Add(-1) }

func (r *recorder) OnMessage(op ws.OpCode, p []byte) {
	r.enter()
	defer r.exit()
	if r.echo {
		if op == ws.OpBinary {
			_ = r.conn.WriteBinary(p)
		} else {
			_ = r.conn.WriteText(p)
		}
	}
	select {
	case r.msgs <- message{op: op, payload: bytes.Clone(p)}:
	default:
	}
}

func (r *recorder) OnClose(code ws.StatusCode, reason string) {
	r.enter()
	defer r.exit()
	r.mu.Lock()
	r.closes = append(r.closes, closeEvent{code, reason})
	first := len(r.closes) == 1
	r.mu.Unlock()
	if first {
		close(r.closed)
	}
}

// closeEvents returns the OnClose calls seen so far.
func (r *recorder) closeEvents() []closeEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]closeEvent(nil), r.closes...)
}

// requireClosed waits for OnClose and checks it came once, with code and reason.
func (r *recorder) requireClosed(t testing.TB, code ws.StatusCode, reason string) {
	t.Helper()
	select {
	case <-r.closed:
	case <-time.After(waitLong):
		t.Fatal("OnClose was not called")
	}
	require.Equal(t, []closeEvent{{code, reason}}, r.closeEvents())
	require.False(t, r.overlap.Load(), "handler calls overlapped")
}

// nextMessage waits for the next message the recorder receives.
func (r *recorder) nextMessage(t testing.TB) message {
	t.Helper()
	select {
	case m := <-r.msgs:
		return m
	case <-time.After(waitLong):
		t.Fatal("no message received")
		return message{}
	}
}

// acceptor is a WebSocketHandler that accepts every upgrade with a recorder, unless decide says
// otherwise.
type acceptor struct {
	echo       bool
	decide     func(r *http.Request) Decision
	recorders  chan *recorder
	handshakes atomic.Int32
}

func newAcceptor(echo bool) *acceptor {
	return &acceptor{echo: echo, recorders: make(chan *recorder, 4096)}
}

func (a *acceptor) Handshake(r *http.Request) Decision {
	a.handshakes.Add(1)
	d := Decision{}
	if a.decide != nil {
		d = a.decide(r)
	}
	if d.OnUpgraded == nil {
		d.OnUpgraded = func(c *Conn) ConnHandler {
			rec := newRecorder(c, a.echo)
			a.recorders <- rec
			return rec
		}
	}
	return d
}

// next waits for the recorder of the next upgraded connection.
func (a *acceptor) next(t testing.TB) *recorder {
	t.Helper()
	select {
	case r := <-a.recorders:
		return r
	case <-time.After(waitLong):
		t.Fatal("no connection upgraded")
		return nil
	}
}

// startServer serves a new Server on 127.0.0.1 until the test ends and returns it with its address.
func startServer(t testing.TB, cfg Config, wsh WebSocketHandler, h http.Handler) (*Server, string) {
	t.Helper()
	srv, err := New(cfg, wsh, h)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		require.ErrorIs(t, <-served, http.ErrServerClosed)
	})
	return srv, ln.Addr().String()
}

// rawClient is a WebSocket client on a bare TCP connection, for crafted frames.
type rawClient struct {
	nc net.Conn
	r  io.Reader
}

// dialRaw opens a WebSocket connection with gobwas/ws's dialer; it starts no goroutine.
func dialRaw(t testing.TB, addr string) *rawClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	nc, br, _, err := ws.Dialer{}.Dial(ctx, "ws://"+addr+"/")
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	c := &rawClient{nc: nc, r: nc}
	if br != nil {
		c.r = io.MultiReader(br, nc)
	}
	return c
}

// write sends b as is.
func (c *rawClient) write(t testing.TB, b []byte) {
	t.Helper()
	_, err := c.nc.Write(b)
	require.NoError(t, err)
}

// readFrame reads one frame from the server.
func (c *rawClient) readFrame(t testing.TB) (ws.Header, []byte) {
	t.Helper()
	require.NoError(t, c.nc.SetReadDeadline(time.Now().Add(waitLong)))
	h, err := ws.ReadHeader(c.r)
	require.NoError(t, err)
	p := make([]byte, h.Length)
	_, err = io.ReadFull(c.r, p)
	require.NoError(t, err)
	return h, p
}

// requireClose reads frames until a close frame and checks its code, then that the server closed
// the socket.
func (c *rawClient) requireClose(t testing.TB, code ws.StatusCode) {
	t.Helper()
	for {
		h, p := c.readFrame(t)
		if h.OpCode != ws.OpClose {
			continue
		}
		if code == ws.StatusNoStatusRcvd {
			require.Empty(t, p)
		} else {
			require.GreaterOrEqual(t, len(p), 2, "close frame without code")
			require.Equal(t, code, ws.StatusCode(binary.BigEndian.Uint16(p)))
		}
		break
	}
	_, err := c.r.Read(make([]byte, 1))
	require.Error(t, err, "the server kept the socket open after its close frame")
}

// clientFrame builds a frame as a client sends it: masked unless told otherwise.
func clientFrame(fin bool, rsv byte, op ws.OpCode, masked bool, payload []byte) []byte {
	h := ws.Header{Fin: fin, Rsv: rsv, OpCode: op, Masked: masked, Length: int64(len(payload))}
	p := bytes.Clone(payload)
	if masked {
		h.Mask = [4]byte{0x11, 0x22, 0x33, 0x44}
		ws.Cipher(p, h.Mask, 0)
	}
	var b bytes.Buffer
	_ = ws.WriteHeader(&b, h)
	b.Write(p)
	return b.Bytes()
}

// text is a final, masked text frame.
func text(s string) []byte { return clientFrame(true, 0, ws.OpText, true, []byte(s)) }

// closePayload is a close frame body with code and reason.
func closePayload(code ws.StatusCode, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

// upgradeRequest is a raw upgrade request to addr.
func upgradeRequest(addr string) []byte {
	return []byte("GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
}

// readResponse reads the HTTP response to an upgrade request from br.
func readResponse(t testing.TB, br *bufio.Reader) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	return resp
}
