package actors

import (
	"errors"
	"sync"
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

// Connection is one client connection: its actor, socket and engine view. Methods are safe for
// concurrent use; state that changes is either atomic or touched only by the actor.
type Connection struct {
	info *engine.Connection
	sys  *System
	pid  *actor.PID
	sock Socket

	lastActive atomic.Int64 // unix nanoseconds of the last message from the client
	queued     atomic.Int64 // bytes posted to the actor and not yet written
	closed     atomic.Bool  // set once the socket has ended
	overflowed atomic.Bool  // set when the outbound queue overflowed and the close began

	timerMu sync.Mutex
	timer   *time.Timer
}

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
func (c *Connection) Post(payload []byte) error {
	if c.closed.Load() || c.overflowed.Load() {
		return ErrGone
	}
	// A message alone in the queue always fits, however large: the bound is on what piles up.
	if n := c.queued.Add(int64(len(payload))); n > int64(c.sys.opts.OutboundQueueBytes) && n != int64(len(payload)) {
		c.queued.Add(-int64(len(payload)))
		if c.overflowed.CompareAndSwap(false, true) {
			c.sys.log.Debug("outbound queue full", zapID(c.info.ID))
			// Closing may wait briefly for a write blocked on this very client; the poster must not.
			go func() { _ = c.sock.Close(CloseQueueFull, "outbound queue full") }()
		}
		return ErrQueueFull
	}
	c.sys.as.Root.Send(c.pid, &outbound{payload: payload})
	return nil
}

// Reply implements engine.Replier: replies and error frames go through the same bounded queue.
func (c *Connection) Reply(payload []byte) { _ = c.Post(payload) }

// Close closes the connection with a close frame; $disconnect follows.
func (c *Connection) Close(code ws.StatusCode, reason string) {
	_ = c.sock.Close(code, reason)
}

// OnMessage implements transport.ConnHandler: a complete message from the client. The payload is
// copied, since the transport reuses its buffer.
func (c *Connection) OnMessage(_ ws.OpCode, payload []byte) {
	c.lastActive.Store(time.Now().UnixNano())
	body := make([]byte, len(payload))
	copy(body, payload)
	c.sys.as.Root.Send(c.pid, &inbound{body: body})
}

// OnClose implements transport.ConnHandler: the socket has ended. It runs exactly once per
// connection; the actor then runs $disconnect and stops.
func (c *Connection) OnClose(code ws.StatusCode, reason string) {
	if c.closed.Swap(true) {
		return
	}
	c.timerMu.Lock()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timerMu.Unlock()
	c.sys.remove(c)
	c.sys.as.Root.Send(c.pid, &ended{code: int(code), reason: reason})
}

// armTimer starts the single timer that covers both the idle timeout and the connection lifetime.
func (c *Connection) armTimer() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	c.timer = time.AfterFunc(c.untilDeadline(time.Now()), c.onTimer)
}

// untilDeadline is the time until the earlier of the idle and lifetime deadlines.
func (c *Connection) untilDeadline(now time.Time) time.Duration {
	idle := time.Unix(0, c.lastActive.Load()).Add(c.sys.opts.IdleTimeout)
	life := c.info.ConnectedAt.Add(c.sys.opts.MaxConnectionDuration)
	d := idle
	if life.Before(d) {
		d = life
	}
	return d.Sub(now)
}

// onTimer closes the connection when a deadline has passed, otherwise re-arms for the next one.
// Messages only store lastActive; the timer is moved lazily here, never per message.
func (c *Connection) onTimer() {
	if c.closed.Load() {
		return
	}
	d := c.untilDeadline(time.Now())
	if d <= 0 {
		_ = c.sock.Close(ws.StatusGoingAway, "Going away")
		return
	}
	c.timerMu.Lock()
	c.timer.Reset(d)
	c.timerMu.Unlock()
}

// write sends one queued message to the socket; it runs on the actor.
func (c *Connection) write(p []byte) {
	defer c.queued.Add(-int64(len(p)))
	if c.closed.Load() {
		return
	}
	var err error
	if utf8.Valid(p) {
		err = c.sock.WriteText(p)
	} else {
		err = c.sock.WriteBinary(p)
	}
	if err != nil {
		c.sys.log.Debug("write failed", zapID(c.info.ID))
	}
}
