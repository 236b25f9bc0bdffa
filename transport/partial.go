package transport

import (
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
)

// States of a partial frame (partial.state).
const (
	partialOpen    uint32 = iota // bytes still to come
	partialDone                  // the frame completed (or the connection ended) before the deadline
	partialExpired               // the read deadline passed first; the connection is closing with 1008
)

// partial is what a connection has received of a frame that did not arrive whole. A connection
// holds one only from a turn that read the first bytes of a frame to the turn that reads its last:
// an idle connection holds none. Its fields other than state belong to the connection's owner.
type partial struct {
	c      *Conn
	hdr    [maxHeaderBytes]byte // header bytes received, until the header is complete
	hn     int                  // len of hdr received
	headed bool                 // the header is complete and checked: h is valid
	h      ws.Header
	body   []byte // payload received so far, still masked
	// timer closes the connection with 1008 once the frame is older than Limits.ReadTimeout. It
	// fires on its own goroutine, so no worker ever waits for a slow client.
	timer *time.Timer
	state atomic.Uint32
}

// startPartial makes a new partial frame the connection's, starting its read deadline. Only the
// owner calls it.
func (c *Conn) startPartial() *partial {
	p := &partial{c: c}
	p.timer = time.AfterFunc(c.srv.cfg.Limits.ReadTimeout, p.expire)
	c.part = p
	return p
}

// endPartial drops the connection's partial frame once it is complete. It reports false when the
// frame's deadline passed first (the connection is then closing). Only the owner calls it.
func (c *Conn) endPartial() bool {
	p := c.part
	c.part = nil
	p.timer.Stop()
	return p.state.CompareAndSwap(partialOpen, partialDone)
}

// dropPartial forgets a partial frame of a connection that is ending. Only the owner calls it.
func (c *Conn) dropPartial() {
	if c.part != nil {
		c.endPartial()
	}
}

// expire runs when the frame's read deadline passes: unless the frame completed just before, it
// closes the connection with 1008, from the timer's goroutine.
func (p *partial) expire() {
	if p.state.CompareAndSwap(partialOpen, partialExpired) {
		_ = p.c.Close(ws.StatusPolicyViolation, "read timeout")
	}
}
