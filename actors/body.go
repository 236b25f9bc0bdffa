package actors

import (
	"math/bits"
	"slices"
	"sync"
	"unsafe"

	"github.com/portico-gateway/portico/engine"
)

// Client message bodies from minPooledBody to maxPooledBody bytes are copied into pooled buffers,
// so that a node echoing large messages does not allocate (and collect) one per message. Smaller
// ones cost little to allocate; larger ones are rare. The pooled sizes are the powers of two
// between the two bounds.
const (
	minBodyShift  = 10
	maxBodyShift  = 16
	minPooledBody = 1 << minBodyShift
	maxPooledBody = 1 << maxBodyShift
	bodyClasses   = maxBodyShift - minBodyShift + 1
)

// lender is a Dispatcher that reports whether it kept a message's body (engine.Engine is one). A
// body lent to it that it did not keep goes back to the pool once the replies made of it are written.
type lender interface {
	MessageLent(c *engine.Connection, body []byte, rep engine.Replier) (kept bool)
}

// bodyPool holds buffers for client message bodies, one sync.Pool per size class.
type bodyPool struct {
	classes []sync.Pool
}

func newBodyPool() *bodyPool { return &bodyPool{classes: make([]sync.Pool, bodyClasses)} }

// bodyClass returns the size class of a body of n bytes, or -1 when n is not pooled.
func bodyClass(n int) int {
	if n < minPooledBody || n > maxPooledBody {
		return -1
	}
	return bits.Len(uint(n-1)) - minBodyShift
}

// get returns a buffer of at least n bytes, or nil when n is not pooled.
func (p *bodyPool) get(n int) *[]byte {
	c := bodyClass(n)
	if c < 0 {
		return nil
	}
	if bp, _ := p.classes[c].Get().(*[]byte); bp != nil {
		return bp
	}
	b := make([]byte, minPooledBody<<c)
	return &b
}

// put returns a buffer from get to the pool.
func (p *bodyPool) put(bp *[]byte) {
	if c := bodyClass(cap(*bp)); c >= 0 && minPooledBody<<c == cap(*bp) {
		p.classes[c].Put(bp)
	}
}

// Lending states of an inbound message's pooled body (inbound.lend).
const (
	lendOpen   uint32 = iota // the dispatcher is handling the message
	lendTaken                // a reply made of the body owns the buffer: its write returns it
	lendClosed               // the dispatcher returned; the body is no longer lent
)

// Reply implements engine.Replier for the message being handled: a reply made of the message's
// pooled body takes the buffer along, so that the buffer goes back to the pool only once the reply
// is written.
func (m *inbound) Reply(payload []byte) {
	var buf *inbound
	if m.buf != nil && overlaps(payload, *m.buf) {
		switch {
		case m.lend.CompareAndSwap(lendOpen, lendTaken):
			buf = m
		case m.lend.Load() == lendTaken:
			// A second reply made of the body: it must not outlive the first one's write.
			payload = slices.Clone(payload)
		}
	}
	_ = m.c.post(payload, buf)
}

// handle hands a client message to the dispatcher, lending it the pooled body when it can say
// whether it kept it. It runs on the actor.
func (m *inbound) handle() {
	c := m.c
	l, ok := c.sys.disp.(lender)
	if m.buf == nil || !ok {
		c.sys.disp.Message(c.info, m.body, c)
		return
	}
	m.kept = l.MessageLent(c.info, m.body, m)
	if m.lend.CompareAndSwap(lendOpen, lendClosed) && !m.kept {
		c.sys.bodies.put(m.buf)
	}
}

// written is called on the actor once a reply that took a pooled body is written (or dropped):
// the buffer goes back to the pool unless the dispatcher kept the body.
func (m *inbound) written() {
	if !m.kept {
		m.c.sys.bodies.put(m.buf)
	}
}

// overlaps reports whether a and the memory of b share a byte.
func overlaps(a, b []byte) bool {
	if len(a) == 0 || cap(b) == 0 {
		return false
	}
	pa := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	pb := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(cap(b)) && pb < pa+uintptr(len(a))
}

var _ engine.Replier = (*inbound)(nil)
