package transport

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

// dialCoder opens a connection with coder/websocket, a client library other than the server's.
func dialCoder(t testing.TB, addr string, opts *websocket.DialOptions) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/", opts)
	require.NoError(t, err)
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func TestEchoesMessages(t *testing.T) {
	a := newAcceptor(true)
	limits := Limits{AllowBinary: true, MaxFrameBytes: 100000, MaxMessageBytes: 200000}
	_, addr := startServer(t, Config{Limits: limits}, a, nil)
	c := dialCoder(t, addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()

	for _, tc := range []struct {
		typ     websocket.MessageType
		payload string
	}{
		{websocket.MessageText, `{"action":"echo"}`},
		{websocket.MessageText, ""},
		{websocket.MessageText, strings.Repeat("é", 3000)},
		{websocket.MessageBinary, "\x00\xff\x01"},
		{websocket.MessageText, strings.Repeat("x", 70000)}, // larger than the read buffer
	} {
		require.NoError(t, c.Write(ctx, tc.typ, []byte(tc.payload)))
		typ, got, err := c.Read(ctx)
		require.NoError(t, err)
		require.Equal(t, tc.typ, typ)
		require.Equal(t, tc.payload, string(got))
	}
	require.NoError(t, c.Close(websocket.StatusNormalClosure, "done"))
	a.next(t).requireClosed(t, ws.StatusNormalClosure, "done")
}

func TestAssemblesFragmentedMessage(t *testing.T) {
	a := newAcceptor(true)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)

	c.write(t, clientFrame(false, 0, ws.OpText, true, []byte("hel")))
	c.write(t, clientFrame(false, 0, ws.OpContinuation, true, []byte("lo ")))
	c.write(t, clientFrame(true, 0, ws.OpPing, true, []byte("mid")))
	c.write(t, clientFrame(true, 0, ws.OpContinuation, true, []byte("world")))

	h, p := c.readFrame(t)
	require.Equal(t, ws.OpPong, h.OpCode)
	require.Equal(t, "mid", string(p))
	h, p = c.readFrame(t)
	require.Equal(t, ws.OpText, h.OpCode)
	require.True(t, h.Fin)
	require.Equal(t, "hello world", string(p))
	require.Equal(t, message{ws.OpText, []byte("hello world")}, rec.nextMessage(t))
}

func TestMessagesAtTheLimitsPass(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{Limits: Limits{MaxFrameBytes: 1000, MaxMessageBytes: 2000}}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)

	frame := strings.Repeat("a", 1000)
	c.write(t, text(frame))
	require.Equal(t, frame, string(rec.nextMessage(t).payload))

	c.write(t, clientFrame(false, 0, ws.OpText, true, []byte(frame)))
	c.write(t, clientFrame(true, 0, ws.OpContinuation, true, []byte(frame)))
	require.Equal(t, frame+frame, string(rec.nextMessage(t).payload))
}

func TestClosesConnectionOnBadInput(t *testing.T) {
	long := strings.Repeat("a", 600)
	cases := []struct {
		name   string
		binary bool // AllowBinary
		frames [][]byte
		code   ws.StatusCode
		reason string
	}{
		{"frame over the limit", false, [][]byte{text(long + long)}, ws.StatusMessageTooBig, "frame too big"},
		{"message over the limit", false, [][]byte{
			clientFrame(false, 0, ws.OpText, true, []byte(long)),
			clientFrame(false, 0, ws.OpContinuation, true, []byte(long)),
			clientFrame(true, 0, ws.OpContinuation, true, []byte(long)),
		}, ws.StatusMessageTooBig, "message too big"},
		{"invalid UTF-8", false, [][]byte{text("ok \xff")}, ws.StatusInvalidFramePayloadData, "invalid UTF-8"},
		{"invalid UTF-8 across fragments", false, [][]byte{
			clientFrame(false, 0, ws.OpText, true, []byte("\xe2\x82")),
			clientFrame(true, 0, ws.OpContinuation, true, []byte("x")),
		}, ws.StatusInvalidFramePayloadData, "invalid UTF-8"},
		{"binary not allowed", false, [][]byte{clientFrame(true, 0, ws.OpBinary, true, []byte{1})},
			ws.StatusUnsupportedData, "binary messages are not supported"},
		{"unmasked frame", true, [][]byte{clientFrame(true, 0, ws.OpText, false, []byte("hi"))},
			ws.StatusProtocolError, "frame not masked"},
		{"RSV bit", true, [][]byte{clientFrame(true, 4, ws.OpText, true, []byte("hi"))},
			ws.StatusProtocolError, "reserved bits set"},
		{"unknown data opcode", true, [][]byte{clientFrame(true, 0, ws.OpCode(3), true, nil)},
			ws.StatusProtocolError, "unknown opcode"},
		{"unknown control opcode", true, [][]byte{clientFrame(true, 0, ws.OpCode(0xb), true, nil)},
			ws.StatusProtocolError, "unknown opcode"},
		{"fragmented control frame", true, [][]byte{clientFrame(false, 0, ws.OpPing, true, nil)},
			ws.StatusProtocolError, "fragmented control frame"},
		{"control frame too long", true, [][]byte{clientFrame(true, 0, ws.OpPing, true, make([]byte, 126))},
			ws.StatusProtocolError, "control frame too long"},
		{"orphan continuation", true, [][]byte{clientFrame(true, 0, ws.OpContinuation, true, []byte("x"))},
			ws.StatusProtocolError, "unexpected continuation frame"},
		{"new message inside a fragmented one", true, [][]byte{
			clientFrame(false, 0, ws.OpText, true, []byte("a")),
			text("b"),
		}, ws.StatusProtocolError, "expected continuation frame"},
		{"close with 1-byte payload", true, [][]byte{clientFrame(true, 0, ws.OpClose, true, []byte{3})},
			ws.StatusProtocolError, "invalid close frame"},
		{"close with code 999", true, [][]byte{clientFrame(true, 0, ws.OpClose, true, closePayload(999, ""))},
			ws.StatusProtocolError, "invalid close frame"},
		{"close with code 1005", true, [][]byte{clientFrame(true, 0, ws.OpClose, true, closePayload(1005, ""))},
			ws.StatusProtocolError, "invalid close frame"},
		{"close with code 5000", true, [][]byte{clientFrame(true, 0, ws.OpClose, true, closePayload(5000, ""))},
			ws.StatusProtocolError, "invalid close frame"},
		{"close with invalid UTF-8 reason", true, [][]byte{clientFrame(true, 0, ws.OpClose, true, closePayload(1000, "\xff"))},
			ws.StatusProtocolError, "invalid close frame"},
		{"64-bit length with the top bit set", true, [][]byte{{0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}},
			ws.StatusProtocolError, "invalid payload length"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcceptor(false)
			limits := Limits{MaxFrameBytes: 1000, MaxMessageBytes: 1500, AllowBinary: tc.binary}
			srv, addr := startServer(t, Config{Limits: limits}, a, nil)
			c := dialRaw(t, addr)
			rec := a.next(t)
			for _, f := range tc.frames {
				_, _ = c.nc.Write(f) // the server may close before the last frame
			}
			c.requireClose(t, tc.code)
			rec.requireClosed(t, tc.code, tc.reason)
			require.Empty(t, rec.msgs)
			require.Eventually(t, func() bool { return srv.Connections() == 0 }, waitLong, time.Millisecond)
		})
	}
}

func TestFrameOverTheLimitClosesCoderClientWith1009(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{Limits: Limits{MaxFrameBytes: 100}}, a, nil)
	c := dialCoder(t, addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()

	_ = c.Write(ctx, websocket.MessageText, []byte(strings.Repeat("a", 101)))
	_, _, err := c.Read(ctx)
	require.Equal(t, websocket.StatusMessageTooBig, websocket.CloseStatus(err))
	a.next(t).requireClosed(t, ws.StatusMessageTooBig, "frame too big")
}

func TestClientCloseIsEchoed(t *testing.T) {
	cases := []struct {
		name    string
		payload []byte
		code    ws.StatusCode
		reason  string
	}{
		{"with code and reason", closePayload(4000, "bye"), 4000, "bye"},
		{"with code only", closePayload(1000, ""), 1000, ""},
		{"without code", nil, ws.StatusNoStatusRcvd, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcceptor(false)
			_, addr := startServer(t, Config{}, a, nil)
			c := dialRaw(t, addr)
			rec := a.next(t)
			c.write(t, clientFrame(true, 0, ws.OpClose, true, tc.payload))
			c.requireClose(t, tc.code)
			rec.requireClosed(t, tc.code, tc.reason)
		})
	}
}

func TestAbruptDisconnectReports1006(t *testing.T) {
	a := newAcceptor(false)
	srv, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)
	c.write(t, text("partial")[:4]) // a frame cut short, then the socket goes
	require.NoError(t, c.nc.Close())
	rec.requireClosed(t, ws.StatusAbnormalClosure, "")
	require.Eventually(t, func() bool { return srv.Connections() == 0 }, waitLong, time.Millisecond)
}

func TestPingIsAnsweredWithPong(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)

	c.write(t, clientFrame(true, 0, ws.OpPing, true, []byte("are you there")))
	h, p := c.readFrame(t)
	require.Equal(t, ws.OpPong, h.OpCode)
	require.Equal(t, "are you there", string(p))

	c.write(t, clientFrame(true, 0, ws.OpPong, true, []byte("unsolicited")))
	c.write(t, text("after"))
	require.Equal(t, "after", string(rec.nextMessage(t).payload))
}

func TestConcurrentWritesArriveWhole(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialCoder(t, addr, nil)
	rec := a.next(t)

	const writers, each = 16, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			msg := []byte(strings.Repeat(string(rune('a'+w)), 100+w*100))
			for range each {
				if err := rec.conn.WriteText(msg); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	for range writers * each {
		_, p, err := c.Read(ctx)
		require.NoError(t, err)
		require.Equal(t, strings.Repeat(string(p[:1]), len(p)), string(p))
		require.Len(t, p, 100+int(p[0]-'a')*100)
	}
	wg.Wait()
}

func TestServerCloseOfConnSendsCodeAndReportsOnce(t *testing.T) {
	a := newAcceptor(false)
	srv, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)

	require.NoError(t, rec.conn.Close(4001, "kicked"))
	require.NoError(t, rec.conn.Close(4002, "again"))
	h, p := c.readFrame(t)
	require.Equal(t, ws.OpClose, h.OpCode)
	require.Equal(t, closePayload(4001, "kicked"), p)
	rec.requireClosed(t, 4001, "kicked")
	require.Equal(t, 0, srv.Connections())
	require.ErrorIs(t, rec.conn.WriteText([]byte("late")), ErrClosed)
}

func TestCloseFromInsideOnMessageReportsAfterIt(t *testing.T) {
	a := newAcceptor(false)
	var rec *closingHandler
	a.decide = func(*http.Request) Decision {
		return Decision{OnUpgraded: func(c *Conn) ConnHandler {
			rec = &closingHandler{recorder: newRecorder(c, false)}
			a.recorders <- rec.recorder
			return rec
		}}
	}
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	r := a.next(t)
	c.write(t, text("close me"))
	c.requireClose(t, ws.StatusNormalClosure)
	r.requireClosed(t, ws.StatusNormalClosure, "asked")
}

// closingHandler closes its connection from inside OnMessage.
type closingHandler struct{ *recorder }

func (h *closingHandler) OnMessage(op ws.OpCode, p []byte) {
	h.enter()
	defer h.exit()
	_ = h.conn.Close(ws.StatusNormalClosure, "asked")
}

func TestCloseReasonIsCutToFitAControlFrame(t *testing.T) {
	a := newAcceptor(false)
	_, addr := startServer(t, Config{}, a, nil)
	c := dialRaw(t, addr)
	rec := a.next(t)
	reason := strings.Repeat("é", 100) // 200 bytes
	require.NoError(t, rec.conn.Close(4000, reason))
	h, p := c.readFrame(t)
	require.Equal(t, ws.OpClose, h.OpCode)
	require.Len(t, p, 2+122) // 123 would split a rune
	rec.requireClosed(t, 4000, reason)
}
