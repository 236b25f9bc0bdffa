package actors

import (
	"runtime"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// mailboxThroughput is how many messages one turn of a mailbox handles before it yields the
// processor to other goroutines.
const mailboxThroughput = 300

// mailbox is a connection actor's protoactor mailbox, leaner than protoactor's unbounded one: an
// idle mailbox holds no queue (protoactor's keeps a ring of ten slots and a system queue for every
// actor), and the client's own messages are handled on the goroutine that reads them instead of a
// goroutine started for each turn.
//
// A turn runs inline, on the goroutine that posts the message that finds the mailbox idle, for
// messages from the connection's transport (inbound, ended) and for system messages; any other
// message (a reply from an integration goroutine, an @connections post) starts a goroutine for the
// turn, so a poster never waits on the client's socket. An inline turn writes only what the
// socket takes at once (see turn). Turns never overlap. It serves connection actors only: it
// knows their outbound message.
type mailbox struct {
	mu        sync.Mutex
	head      int32  // user[head:] are pending
	running   bool   // a turn is under way
	suspended bool   // the actor failed and waits for its supervisor: only system messages run
	user      []any  // user messages in order
	sys       *[]any // system messages, handled before user messages; nil when there is none
	invoker   actor.MessageInvoker
}

// newMailbox is the actor.MailboxProducer of connection actors.
func newMailbox() actor.Mailbox { return &mailbox{} }

// inline reports whether a message may run its turn on the posting goroutine.
func inline(msg any) bool {
	switch msg.(type) {
	case *inbound, *ended:
		return true
	}
	return false
}

// PostUserMessage implements actor.Mailbox.
func (m *mailbox) PostUserMessage(msg any) {
	m.mu.Lock()
	m.user = append(m.user, msg)
	start := m.begin()
	m.mu.Unlock()
	m.schedule(start, inline(msg))
}

// PostSystemMessage implements actor.Mailbox.
func (m *mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	if m.sys == nil {
		m.sys = new([]any)
	}
	*m.sys = append(*m.sys, msg)
	start := m.begin()
	m.mu.Unlock()
	m.schedule(start, true)
}

// RegisterHandlers implements actor.Mailbox. The dispatcher is not used: the mailbox schedules its
// own turns.
func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, _ actor.Dispatcher) {
	m.invoker = invoker
}

// Start implements actor.Mailbox.
func (m *mailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *mailbox) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.user) - int(m.head)
}

// begin marks a turn as started when none is under way and there is something it may handle.
// Must hold mu.
func (m *mailbox) begin() bool {
	if m.running || !m.ready() {
		return false
	}
	m.running = true
	return true
}

// ready reports whether a message may be handled now. Must hold mu.
func (m *mailbox) ready() bool {
	return m.sys != nil || (!m.suspended && int(m.head) < len(m.user))
}

func (m *mailbox) schedule(start, here bool) {
	switch {
	case !start:
	case here:
		m.turn(true)
	default:
		go m.turn(false)
	}
}

// turn handles messages until none is ready. A turn on the posting goroutine (here) writes
// frames only as far as the socket takes them at once: when a frame would have to wait on the
// client, the turn moves to a goroutine of its own, starting with that frame, so a client that
// does not read never holds the goroutine that read its message.
func (m *mailbox) turn(here bool) {
	for n := 1; ; n++ {
		m.mu.Lock()
		msg, sys := m.next()
		if msg == nil {
			m.running = false
			m.mu.Unlock()
			return
		}
		m.mu.Unlock()
		if o, ok := msg.(*outbound); ok && here {
			o.noWait = true
			m.invoke(o, false)
			if o.deferred {
				o.noWait, o.deferred = false, false
				m.mu.Lock()
				m.unshift(o)
				m.mu.Unlock()
				go m.turn(false)
				return
			}
		} else {
			m.invoke(msg, sys)
		}
		if n%mailboxThroughput == 0 {
			runtime.Gosched()
		}
	}
}

// next takes the next message that may be handled, system messages first; nil when there is none.
// It drops queues it has emptied, so an idle mailbox holds none. Must hold mu.
func (m *mailbox) next() (msg any, sys bool) {
	if m.sys != nil {
		q := *m.sys
		msg = q[0]
		q[0] = nil
		if len(q) == 1 {
			m.sys = nil
		} else {
			*m.sys = q[1:]
		}
		return msg, true
	}
	if m.suspended || int(m.head) == len(m.user) {
		return nil, false
	}
	msg = m.user[m.head]
	m.user[m.head] = nil
	m.head++
	if int(m.head) == len(m.user) {
		m.head = 0
		if cap(m.user) > 4 {
			m.user = nil // a burst's queue goes; a small one stays for the next message
		} else {
			m.user = m.user[:0]
		}
	}
	return msg, false
}

// unshift puts msg back at the head of the user messages. Must hold mu.
func (m *mailbox) unshift(msg any) {
	if m.head > 0 {
		m.head--
		m.user[m.head] = msg
		return
	}
	m.user = append(m.user, nil)
	copy(m.user[1:], m.user)
	m.user[0] = msg
}

// invoke hands one message to the actor; a panic escalates to the actor's supervisor as in
// protoactor's own mailbox.
func (m *mailbox) invoke(msg any, sys bool) {
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	if !sys {
		m.invoker.InvokeUserMessage(msg)
		return
	}
	switch msg.(type) {
	case *actor.SuspendMailbox:
		m.mu.Lock()
		m.suspended = true
		m.mu.Unlock()
	case *actor.ResumeMailbox:
		m.mu.Lock()
		m.suspended = false
		m.mu.Unlock()
	default:
		m.invoker.InvokeSystemMessage(msg)
	}
}

var _ actor.Mailbox = (*mailbox)(nil)
