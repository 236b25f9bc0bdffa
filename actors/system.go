package actors

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/gobwas/ws"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/engine/config"
)

// Dispatcher is where connection actors send what clients say (the engine implements it).
type Dispatcher interface {
	Message(c *engine.Connection, body []byte, rep engine.Replier)
	Disconnect(c *engine.Connection, code int, reason string)
}

// Options configure a System. The node passes every value from its compiled config; zero values
// fall back to engine/config's defaults, so the defaults live in one place.
type Options struct {
	IdleTimeout           time.Duration // zero: config.DefaultIdleTimeout (10 minutes)
	MaxConnectionDuration time.Duration // zero: config.DefaultMaxConnectionDuration (2 hours)
	OutboundQueueBytes    int           // bytes waiting at a connection's actor, both ways; zero: config.DefaultOutboundQueueBytes (1 MiB)
	Logger                *zap.Logger   // nil: no logs
}

// Limits are what a System enforces on every connection; SetLimits changes them while it runs.
type Limits struct {
	IdleTimeout           time.Duration
	MaxConnectionDuration time.Duration
	OutboundQueueBytes    int
}

// registryBuckets is how many of protoactor's process registry buckets a System keeps. protoactor
// makes 1,024 buckets of 32 maps each, so that below a few hundred thousand actors nearly every
// actor has a map of its own (a few hundred bytes each); 32 buckets (1,024 maps) still spread
// the rare registry look-ups (PIDs cache their process) over many locks.
const registryBuckets = 32

// Bounds of the deadline sweep's period, which is a sixteenth of the shorter timeout.
const (
	minSweep = 5 * time.Millisecond
	maxSweep = time.Second
)

// System is the node's actor system and the index of its live connections. It is safe for
// concurrent use.
//
// Every connection has one protoactor actor: its own PID, process and mailbox. The actors share
// one Props and one stateless behaviour (connActor); each message carries its Connection, whose
// state only the actor's turns touch. Idle and lifetime deadlines are checked by one sweeper
// goroutine over the sharded connection index instead of a timer per connection.
type System struct {
	as    *actor.ActorSystem
	props *actor.Props
	disp  Dispatcher
	log   *zap.Logger
	// limits are read on every post and sweep; SetLimits replaces them.
	limits atomic.Pointer[Limits]

	conns  *index
	bodies *bodyPool
	count  atomic.Int64
	live   sync.WaitGroup // connections whose actor has not yet run $disconnect
	// closing is set by CloseAll: the node drains, and connections opened later are closed at once.
	closing atomic.Pointer[closeAll]

	stop     chan struct{}
	sweeping sync.WaitGroup
	stopOnce sync.Once
}

// NewSystem returns a System that hands messages and disconnects to disp. Shutdown releases it.
func NewSystem(disp Dispatcher, opts Options) *System {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	s := &System{disp: disp, log: opts.Logger.Named("actors"), conns: newIndex(), bodies: newBodyPool(), stop: make(chan struct{})}
	s.limits.Store(Limits{
		IdleTimeout:           config.DefaultIdleTimeout,
		MaxConnectionDuration: config.DefaultMaxConnectionDuration,
		OutboundQueueBytes:    config.DefaultOutboundQueueBytes,
	}.with(Limits{IdleTimeout: opts.IdleTimeout, MaxConnectionDuration: opts.MaxConnectionDuration, OutboundQueueBytes: opts.OutboundQueueBytes}))
	s.as = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	shrinkRegistry(s.as.ProcessRegistry)
	s.props = actor.PropsFromProducer(func() actor.Actor { return connActor{} }, actor.WithMailbox(newMailbox))
	s.sweeping.Add(1)
	go s.sweep()
	return s
}

// with returns l with every positive field of next in place of its own.
func (l Limits) with(next Limits) *Limits {
	if next.IdleTimeout > 0 {
		l.IdleTimeout = next.IdleTimeout
	}
	if next.MaxConnectionDuration > 0 {
		l.MaxConnectionDuration = next.MaxConnectionDuration
	}
	if next.OutboundQueueBytes > 0 {
		l.OutboundQueueBytes = next.OutboundQueueBytes
	}
	return &l
}

// Limits returns the limits in force.
func (s *System) Limits() Limits { return *s.limits.Load() }

// SetLimits replaces the limits of every connection, those open included, from the next post and
// the next deadline sweep on; zero fields keep their current value. Safe for concurrent use.
func (s *System) SetLimits(l Limits) {
	for {
		cur := s.limits.Load()
		if s.limits.CompareAndSwap(cur, cur.with(l)) {
			return
		}
	}
}

// shrinkRegistry cuts protoactor's process registry to registryBuckets buckets, moving what the
// actor system registered at its start into the buckets that remain.
func shrinkRegistry(reg *actor.ProcessRegistryValue) {
	all := reg.LocalPIDs.LocalPIDs
	if len(all) <= registryBuckets {
		return
	}
	type entry struct {
		id string
		p  any
	}
	var moved []entry
	for _, m := range all[registryBuckets:] {
		for id, p := range m.Items() {
			moved = append(moved, entry{id, p})
		}
	}
	// A copy, so the dropped buckets' maps are not kept alive by the old backing array.
	reg.LocalPIDs.LocalPIDs = append(all[:0:0], all[:registryBuckets]...)
	for _, e := range moved {
		reg.LocalPIDs.GetBucket(e.id).Set(e.id, e.p)
	}
}

func sweepPeriod(l *Limits) time.Duration {
	d := min(l.IdleTimeout, l.MaxConnectionDuration) / 16
	return min(max(d, minSweep), maxSweep)
}

// Open registers a new, upgraded connection: it spawns the connection's actor and indexes it by id;
// the sweep then watches its deadlines. The returned Connection is the socket's
// transport.ConnHandler.
func (s *System) Open(info *engine.Connection, sock Socket) *Connection {
	c := &Connection{info: info, sys: s, sock: sock}
	c.lastActive.Store(info.ConnectedAt.UnixNano())
	s.live.Add(1)
	// The connection id names the actor, so its PID shares the id's bytes; ids are random, and a
	// clash (never seen) falls back to a generated name.
	pid, err := s.as.Root.SpawnNamed(s.props, info.ID)
	if err != nil {
		pid = s.as.Root.Spawn(s.props)
	}
	c.pid = pid
	s.count.Add(1)
	s.conns.add(c)
	// A connection upgraded while CloseAll ran may have been missed by it: close it here. CloseAll
	// marks the system before it collects, and Open indexes before it looks, so one of the two
	// always sees the other.
	if cl := s.closing.Load(); cl != nil {
		c.Close(cl.code, cl.reason)
	}
	return c
}

// Get returns the live connection with the given id.
func (s *System) Get(id string) (*Connection, bool) {
	c, ok := s.conns.get(id)
	if !ok || c.closed() {
		return nil, false
	}
	return c, true
}

// Count returns the number of live connections.
func (s *System) Count() int { return int(s.count.Load()) }

// closeAll is what CloseAll closes connections with; connections opened afterwards get it too.
type closeAll struct {
	code   ws.StatusCode
	reason string
}

// CloseAll closes every live connection with code and reason, and every connection opened from now
// on (the node is draining).
func (s *System) CloseAll(code ws.StatusCode, reason string) {
	s.closing.Store(&closeAll{code: code, reason: reason})
	for _, c := range s.conns.collect(nil, func(*Connection) bool { return true }) {
		c.Close(code, reason)
	}
}

// Wait blocks until every closed connection's actor has handed its $disconnect to the dispatcher, or
// ctx ends.
func (s *System) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.live.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown stops the deadline sweep and the actor system.
func (s *System) Shutdown() {
	s.stopOnce.Do(func() {
		close(s.stop)
		s.sweeping.Wait()
		s.as.Shutdown()
	})
}

func (s *System) remove(c *Connection) {
	if s.conns.remove(c) {
		s.count.Add(-1)
	}
}

// sweep closes, every period, the connections whose idle or lifetime deadline has passed (1001),
// until Shutdown. The period follows the limits in force.
func (s *System) sweep() {
	defer s.sweeping.Done()
	period := sweepPeriod(s.limits.Load())
	t := time.NewTicker(period)
	defer t.Stop()
	var due []*Connection
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			lim := s.limits.Load()
			if p := sweepPeriod(lim); p != period {
				period = p
				t.Reset(period)
			}
			n := now.UnixNano()
			due = s.conns.collect(due, func(c *Connection) bool { return c.deadline(lim) <= n })
			for _, c := range due {
				c.expire()
			}
			clear(due)
		}
	}
}

func zapID(id string) zap.Field { return zap.String("connectionId", id) }

// Messages of a connection's actor. Each carries its Connection, since the actors share one
// stateless behaviour.
type (
	inbound struct {
		c    *Connection
		body []byte
		// buf holds body when it is pooled; lend and kept say who may still use it (see body.go).
		buf  *[]byte
		lend atomic.Uint32
		kept bool
	}
	outbound struct {
		c       *Connection
		payload []byte
		from    *inbound // the client message whose pooled body payload is made of, if any
		// noWait and deferred pass between the mailbox and the actor: a turn on the goroutine
		// that read the client's message sets noWait, and the actor sets deferred when the
		// socket could not take the frame at once (the mailbox then moves the turn).
		noWait   bool
		deferred bool
	}
	ended struct {
		c      *Connection
		code   int
		reason string
	}
)

// connActor is the behaviour of every connection actor. It has no state: what a connection's
// actor owns lives in its Connection and is touched only here.
type connActor struct{}

// Receive implements actor.Actor.
func (connActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *inbound:
		m.c.queued.Add(-int64(len(m.body)))
		if !m.c.done {
			m.handle()
		} else if m.buf != nil {
			m.c.sys.bodies.put(m.buf)
		}
	case *outbound:
		m.deferred = !m.c.write(m.payload, m.noWait)
		if !m.deferred && m.from != nil {
			m.from.written()
		}
	case *ended:
		c := m.c
		if c.done {
			return
		}
		c.done = true
		c.sys.disp.Disconnect(c.info, m.code, m.reason)
		c.sys.live.Done()
		ctx.Stop(ctx.Self())
	}
}
