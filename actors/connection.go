package actors

import (
	"errors"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/gobwas/ws"

	"github.com/portico-gateway/portico/engine"
)

// Errors of Post.
var (
	// ErrGone means the connection is closed or closing (API Gateway's GoneException).
	ErrGone = errors.New("connection is gone")
	// ErrQueueFull means the client does not read fast enough: its outbound queue overflowed and the
	// connection is being closed.
	ErrQueueFull = errors.New("outbound queue full")
)

// CloseQueueFull is the close code sent to a client whose outbound queue overflowed.
const CloseQueueFull = ws.StatusPolicyViolation

// Socket is the transport side of a connection (transport.Conn implements it).
type Socket interface {
	WriteText(p []byte) error
	WriteBinary(p []byte) error
	Close(code ws.StatusCode, reason string) error
}

// trySocket is a Socket that can write a frame only if it need not wait on the client
// (transport.Conn implements it). Connections whose socket is one write on the goroutine that read
// the client's message; others, and frames the socket cannot take at once, are written from a
// goroutine of their own.
type trySocket interface {
	TryWriteText(p []byte) (bool, error)
	TryWriteBinary(p []byte) (bool, error)
}

// Connection is one client connection: its actor, socket and engine view. Methods are safe for
// concurrent use; state that changes is either atomic or touched only by the actor.
type Connection struct {
	info *engine.Connection
	sys  *System
	pid  *actor.PID
	sock Socket

	lastActive atomic.Int64  // unix nanoseconds of the last message from the client
	queued     atomic.Int64  // bytes at the actor: client messages not yet routed, replies not yet written
	state      atomic.Uint32 // stClosed | stOverflowed | stExpired

	done bool // the actor has handed the disconnect on; only the actor's turns touch it
}

// Connection states (Connection.state); each is set once.
const (
	stClosed     uint32 = 1 << iota // the socket has ended
	stOverflowed                    // the outbound queue overflowed and the close began
	stExpired                       // a deadline passed and the close began
)

// set sets state bit st and reports whether it was already set.
func (c *Connection) set(st uint32) bool { return c.state.Or(st)&st != 0 }

// closed reports whether the socket has ended.
func (c *Connection) closed() bool { return c.state.Load()&stClosed != 0 }

// Info returns the connection's engine view (id, stage, identity, connectedAt).
func (c *Connection) Info() *engine.Connection { return c.info }

// ID returns the connection id.
func (c *Connection) ID() string { return c.info.ID }

// LastActiveAt returns when the client last sent a message (connectedAt before its first).
func (c *Connection) LastActiveAt() time.Time { return time.Unix(0, c.lastActive.Load()) }

// Post queues one message for the client: a text frame when payload is valid UTF-8, binary
// otherwise. It never blocks on the client: when the queue is over its bound the connection is
// closed (1008) and ErrQueueFull returned; once closed, Post returns ErrGone. payload must not be
// modified afterwards.
func (c *Connection) Post(payload []byte) error { return c.post(payload, nil) }

// post is Post for a payload that may own the pooled body of the client message from.
func (c *Connection) post(payload []byte, from *inbound) error {
	if c.state.Load()&(stClosed|stOverflowed) != 0 {
		return ErrGone
	}
	// A message alone in the queue always fits, however large: the bound is on what piles up.
	if n := c.queued.Add(int64(len(payload))); n > int64(c.sys.limits.Load().OutboundQueueBytes) && n != int64(len(payload)) {
		c.queued.Add(-int64(len(payload)))
		c.overflow()
		return ErrQueueFull
	}
	c.sys.as.Root.Send(c.pid, &outbound{c: c, payload: payload, from: from})
	return nil
}

// Reply implements engine.Replier: replies and error frames go through the same bounded queue.
func (c *Connection) Reply(payload []byte) { _ = c.Post(payload) }

// Close closes the connection with a close frame; $disconnect follows.
func (c *Connection) Close(code ws.StatusCode, reason string) {
	_ = c.sock.Close(code, reason)
}

// OnMessage implements transport.ConnHandler: a complete message from the client. The payload is
// copied, since the transport reuses its buffer; a large one into a pooled buffer that goes back to
// the pool once the message and its replies are done with it (see inbound.handle). When the actor
// is idle, its turn runs on this goroutine (see mailbox), so a MOCK route's reply is written
// without a goroutine hop.
func (c *Connection) OnMessage(_ ws.OpCode, payload []byte) {
	c.lastActive.Store(time.Now().UnixNano())
	// Client messages waiting for the actor count against the same bound as replies: while a reply
	// waits on a client that does not read, its further messages pile up here instead.
	if n := c.queued.Add(int64(len(payload))); n > int64(c.sys.limits.Load().OutboundQueueBytes) && n != int64(len(payload)) {
		c.queued.Add(-int64(len(payload)))
		c.overflow()
		return
	}
	m := &inbound{c: c}
	if m.buf = c.sys.bodies.get(len(payload)); m.buf != nil {
		m.body = (*m.buf)[:len(payload)]
	} else {
		m.body = make([]byte, len(payload))
	}
	copy(m.body, payload)
	c.sys.as.Root.Send(c.pid, m)
}

// OnClose implements transport.ConnHandler: the socket has ended. It runs exactly once per
// connection; the actor then runs $disconnect and stops.
func (c *Connection) OnClose(code ws.StatusCode, reason string) {
	if c.set(stClosed) {
		return
	}
	c.sys.remove(c)
	c.sys.as.Root.Send(c.pid, &ended{c: c, code: int(code), reason: reason})
}

// overflow closes a connection whose queue overflowed (1008), once.
func (c *Connection) overflow() {
	if c.set(stOverflowed) {
		return
	}
	c.sys.log.Debug("outbound queue full", zapID(c.info.ID))
	// Closing may wait briefly for a write blocked on this very client; the caller must not.
	go func() { _ = c.sock.Close(CloseQueueFull, "outbound queue full") }()
}

// deadline is when the connection is to be closed under l, in unix nanoseconds: the earlier of its
// idle deadline and the end of its maximum duration.
func (c *Connection) deadline(l *Limits) int64 {
	idle := c.lastActive.Load() + int64(l.IdleTimeout)
	life := c.info.ConnectedAt.UnixNano() + int64(l.MaxConnectionDuration)
	return min(idle, life)
}

// expire closes a connection whose deadline passed with 1001, once, on its own goroutine (the
// close frame may wait on a slow client).
func (c *Connection) expire() {
	if c.closed() || c.set(stExpired) {
		return
	}
	go func() { _ = c.sock.Close(ws.StatusGoingAway, "Going away") }()
}

// write sends one queued message to the socket; it runs on the actor. With noWait (a turn on the
// goroutine that read the client's message), it writes only what the socket takes at once and
// reports false, having written nothing, when it would have to wait.
func (c *Connection) write(p []byte, noWait bool) bool {
	if c.closed() {
		c.queued.Add(-int64(len(p)))
		return true
	}
	text := utf8.Valid(p)
	var err error
	if noWait {
		ts, ok := c.sock.(trySocket)
		if !ok {
			return false
		}
		var done bool
		if text {
			done, err = ts.TryWriteText(p)
		} else {
			done, err = ts.TryWriteBinary(p)
		}
		if !done && err == nil {
			return false
		}
	} else if text {
		err = c.sock.WriteText(p)
	} else {
		err = c.sock.WriteBinary(p)
	}
	c.queued.Add(-int64(len(p)))
	if err != nil {
		c.sys.log.Debug("write failed", zapID(c.info.ID))
	}
	return true
}
