package transport

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
	"go.uber.org/zap"
)

// ErrClosed is returned by writes to a connection that has been closed.
var ErrClosed = errors.New("transport: connection closed")

// Connection states (Conn.st).
const (
	// stBusy: one goroutine owns the connection. The upgrade goroutine owns it first, then a worker
	// while the socket is readable, or the goroutine that closes it while it was idle. Only the
	// owner reads frames, re-arms the poller or tears the connection down.
	stBusy uint32 = 1 << iota
	// stClosed: the connection is closing; code and reason are final.
	stClosed
	// stArmed: the socket is registered with the poller.
	stArmed
	// stSending: the closer is writing a close frame; teardown waits for frameOut.
	stSending
)

// Conn is one upgraded WebSocket connection. Its methods are safe for concurrent use.
//
// An idle Conn holds no goroutine and no buffer: the poller watches its socket and a worker reads
// what arrived with a pooled buffer. A frame that arrives in pieces is kept, piece by piece, on
// the Conn (a partial frame) until its last byte comes, so no worker ever waits for a client.
type Conn struct {
	srv    *Server
	nc     net.Conn
	h      ConnHandler
	frag   *fragment // message being assembled; only the owner touches it
	part   *partial  // frame being received; only the owner touches it
	reason string    // reported to OnClose; guarded by smu, final once stClosed is set

	smu sync.Mutex // guards changes of st, and code and reason until stClosed is set
	wmu sync.Mutex // serialises frame writes; guards wdone

	st    atomic.Uint32 // stBusy | stClosed | stArmed; read without smu for quick checks
	fd    int32         // socket descriptor, the poller's key
	seq   uint32        // tells this Conn from an earlier one that had the same fd
	code  ws.StatusCode // reported to OnClose; guarded by smu, final once stClosed is set
	wdone bool          // no frame may be written any more (close frame sent or a write failed)

	frameOut chan struct{} // closed once the close frame is out; set with stSending, under smu
}

// fragment holds a fragmented message while its frames arrive.
type fragment struct {
	op  ws.OpCode
	buf []byte
}

// RemoteAddr returns the client's network address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// WriteText writes p as one text frame. It is safe for concurrent use; a failed or timed-out write
// closes the connection (1006).
func (c *Conn) WriteText(p []byte) error { return c.writeFrame(ws.OpText, p) }

// WriteBinary writes p as one binary frame, like WriteText.
func (c *Conn) WriteBinary(p []byte) error { return c.writeFrame(ws.OpBinary, p) }

// Close sends a close frame with code and reason (cut to 123 bytes), removes the connection from
// the poller and closes the socket; the ConnHandler then sees OnClose(code, reason). Code 1005 sends
// a close frame without payload and 1006 sends none, as those codes may not appear on the wire.
//
// Close is idempotent and safe from any goroutine: only the first close of a connection (by the
// server or the client) counts. OnClose runs on the calling goroutine when the connection was idle,
// otherwise on the goroutine reading it, after its current OnMessage returns. Close returns nil.
func (c *Conn) Close(code ws.StatusCode, reason string) error {
	switch code {
	case ws.StatusAbnormalClosure:
		c.shut(code, reason, nil, false)
	case ws.StatusNoStatusRcvd:
		c.shut(code, reason, nil, true)
	default:
		var b [ws.MaxControlFramePayloadSize]byte
		n := putClosePayload(b[:], code, reason)
		c.shut(code, reason, b[:n], true)
	}
	return nil
}

// closed reports whether the connection is closing.
func (c *Conn) closed() bool { return c.st.Load()&stClosed != 0 }

// acquire makes the caller the owner of an idle, open connection. It reports false when another
// goroutine owns it or it is closing (its closer then owns it).
func (c *Conn) acquire() bool {
	c.smu.Lock()
	defer c.smu.Unlock()
	st := c.st.Load()
	if st&(stBusy|stClosed) != 0 {
		return false
	}
	c.st.Store(st | stBusy)
	return true
}

// release ends the owner's turn: a closing connection is torn down, an open one goes back to the
// poller. Only the owner calls it.
func (c *Conn) release() {
	c.smu.Lock()
	st := c.st.Load()
	if st&stClosed != 0 {
		c.smu.Unlock()
		c.teardown()
		return
	}
	// Re-arming under smu orders it before any teardown's removal from the poller, so a re-arm can
	// never reach a descriptor that was closed and reused.
	err := c.srv.poller.arm(c, st&stArmed == 0)
	if err == nil {
		st |= stArmed
	}
	c.st.Store(st &^ stBusy)
	c.smu.Unlock()
	if err != nil {
		c.srv.log.Error("watch connection", zap.Error(err))
		_ = c.Close(ws.StatusInternalServerError, "internal error")
	}
}

// shut closes the connection with code and reason (reported to OnClose) unless it is already
// closing. With send, a close frame carrying body goes out first. The connection is torn down here
// when it was idle; otherwise its owner tears it down when its turn ends (it never waits on a
// read, so its turn ends soon).
func (c *Conn) shut(code ws.StatusCode, reason string, body []byte, send bool) {
	c.smu.Lock()
	st := c.st.Load()
	if st&stClosed != 0 {
		c.smu.Unlock()
		return
	}
	c.code, c.reason = code, reason
	own := st&stBusy == 0
	st |= stClosed | stBusy
	if send {
		c.frameOut = make(chan struct{})
		st |= stSending
	}
	c.st.Store(st)
	c.smu.Unlock()

	if send {
		if !c.wmu.TryLock() {
			// A write is under way, perhaps blocked on a client that does not read: cut it short
			// rather than wait out its deadline. The closer must never hang on a client.
			_ = c.nc.SetWriteDeadline(time.Now().Add(closeWriteTimeout))
			c.wmu.Lock()
		}
		c.writeCloseLocked(body)
		c.wmu.Unlock()
		close(c.frameOut)
	}
	if own {
		c.teardown()
	}
}

// teardown removes a closing connection from the poller, closes its socket and reports OnClose.
// Only the owner calls it, once.
func (c *Conn) teardown() {
	st := c.st.Load()
	if st&stSending != 0 {
		<-c.frameOut // the close frame goes out before the socket closes
	}
	c.srv.forget(c, st&stArmed != 0)
	_ = c.nc.Close()
	c.frag = nil
	c.dropPartial()
	c.h.OnClose(c.code, c.reason)
}
