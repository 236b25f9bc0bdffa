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
)

// Dispatcher is where connection actors send what clients say (the engine implements it).
type Dispatcher interface {
	Message(c *engine.Connection, body []byte, rep engine.Replier)
	Disconnect(c *engine.Connection, code int, reason string)
}

// Options configure a System.
type Options struct {
	IdleTimeout           time.Duration // zero: 10 minutes
	MaxConnectionDuration time.Duration // zero: 2 hours
	OutboundQueueBytes    int           // zero: 1 MiB
	Logger                *zap.Logger   // nil: no logs
}

// System is the node's actor system and the index of its live connections.
type System struct {
	as    *actor.ActorSystem
	props *actor.Props
	disp  Dispatcher
	opts  Options
	log   *zap.Logger

	conns sync.Map // connection id -> *Connection
	count atomic.Int64
	live  sync.WaitGroup // connections whose actor has not yet run $disconnect
}

// NewSystem starts an actor system whose connections dispatch to disp.
func NewSystem(disp Dispatcher, opts Options) *System {
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 10 * time.Minute
	}
	if opts.MaxConnectionDuration <= 0 {
		opts.MaxConnectionDuration = 2 * time.Hour
	}
	if opts.OutboundQueueBytes <= 0 {
		opts.OutboundQueueBytes = 1 << 20
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	s := &System{disp: disp, opts: opts, log: opts.Logger.Named("actors")}
	s.as = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	return s
}

// Open registers a new, upgraded connection: it spawns the connection's actor, indexes it by id and
// starts its timers. The returned Connection is the socket's transport.ConnHandler.
func (s *System) Open(info *engine.Connection, sock Socket) *Connection {
	c := &Connection{info: info, sys: s, sock: sock}
	c.lastActive.Store(info.ConnectedAt.UnixNano())
	c.pid = s.as.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &connActor{c: c} }))
	s.live.Add(1)
	s.count.Add(1)
	s.conns.Store(info.ID, c)
	c.armTimer()
	return c
}

// Get returns the live connection with the given id.
func (s *System) Get(id string) (*Connection, bool) {
	v, ok := s.conns.Load(id)
	if !ok {
		return nil, false
	}
	c := v.(*Connection)
	if c.closed.Load() {
		return nil, false
	}
	return c, true
}

// Count returns the number of live connections.
func (s *System) Count() int { return int(s.count.Load()) }

// CloseAll closes every live connection with code and reason.
func (s *System) CloseAll(code ws.StatusCode, reason string) {
	s.conns.Range(func(_, v any) bool {
		v.(*Connection).Close(code, reason)
		return true
	})
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

// Shutdown stops the actor system.
func (s *System) Shutdown() { s.as.Shutdown() }

func (s *System) remove(c *Connection) {
	if s.conns.CompareAndDelete(c.info.ID, c) {
		s.count.Add(-1)
	}
}

func zapID(id string) zap.Field { return zap.String("connectionId", id) }

// Messages of a connection actor.
type (
	inbound  struct{ body []byte }
	outbound struct{ payload []byte }
	ended    struct {
		code   int
		reason string
	}
)

// connActor is the actor of one connection: it serialises the client's messages into the engine, the
// writes to the socket, and the end of the connection.
type connActor struct {
	c    *Connection
	done bool
}

// Receive implements actor.Actor.
func (a *connActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *inbound:
		if !a.done {
			a.c.sys.disp.Message(a.c.info, m.body, a.c)
		}
	case *outbound:
		a.c.write(m.payload)
	case *ended:
		if a.done {
			return
		}
		a.done = true
		a.c.sys.disp.Disconnect(a.c.info, m.code, m.reason)
		a.c.sys.live.Done()
		ctx.Stop(ctx.Self())
	}
}
