package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Engine runs the current deployment: WebSocket events (Connect, Message, Disconnect) and HTTP and
// REST requests (ServeHTTP) go to the adapter of the API they address, which invokes the route's
// integration. It is safe for concurrent use.
type Engine struct {
	deployment atomic.Pointer[Deployment]
	log        *zap.Logger
	accessLog  *zap.Logger
	metrics    *Metrics
	// inflight counts integration calls still running, so a drain can wait for them.
	inflight sync.WaitGroup
	// running counts the integration calls that hold a slot of maxInflight.
	running     atomic.Int64
	maxInflight int64
	maxPerConn  int32
	maxReply    int
	now         func() time.Time
	// stageLog writes the lines of stages' access log formats.
	stageLog *zap.Logger
	// warns rate-limits the warnings of failed integrations.
	warns *warnLimiter
}

// Options configure an Engine.
type Options struct {
	Logger    *zap.Logger // nil: no logs
	AccessLog *zap.Logger // nil: no access log for HTTP and REST requests
	// StageAccessLog receives the lines of stages with accessLogSettings. Nil: the Logger's
	// "access" child.
	StageAccessLog *zap.Logger
	Metrics        *Metrics // nil: not counted
	// MaxInflight bounds the integration calls running at once (node.maxInflightIntegrations).
	// Zero: unbounded.
	MaxInflight int
	// MaxInflightPerConnection bounds one WebSocket connection's integration calls running at once
	// (websocket.maxInflightPerConnection). Zero: unbounded.
	MaxInflightPerConnection int
	// MaxReplyBytes bounds a WebSocket route response (websocket.maxMessageBytes); a larger one is
	// an integration error. Zero: unbounded.
	MaxReplyBytes int
}

// New returns an Engine serving d.
func New(d *Deployment, opts Options) *Engine {
	e := &Engine{log: opts.Logger, accessLog: opts.AccessLog, metrics: opts.Metrics, now: time.Now,
		maxInflight: int64(opts.MaxInflight), maxPerConn: int32(opts.MaxInflightPerConnection), maxReply: opts.MaxReplyBytes,
		warns: newWarnLimiter(10, 50)}
	if e.log == nil {
		e.log = zap.NewNop()
	}
	e.stageLog = opts.StageAccessLog
	if e.stageLog == nil {
		e.stageLog = e.log.Named("access")
	}
	e.deployment.Store(d)
	return e
}

// Deployment returns the deployment new connections and requests are resolved against.
func (e *Engine) Deployment() *Deployment { return e.deployment.Load() }

// Deploy swaps in a new deployment atomically; work in flight finishes on the old one.
func (e *Engine) Deploy(d *Deployment) { e.deployment.Store(d) }

// Wait blocks until every integration call in flight (including $disconnect) has finished, or ctx ends.
func (e *Engine) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { e.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Replier carries the engine's answers to one client connection. Reply may be called from any
// goroutine; payload ownership passes to the Replier.
type Replier interface {
	Reply(payload []byte)
}

// ConnectResult is the answer to a WebSocket handshake: Status 2xx accepts (Header goes into the 101),
// anything else refuses with that status, Header and Body.
type ConnectResult struct {
	Status int
	Header map[string][]string
	Body   []byte
}

// acquire takes a slot of the node's integration calls, and of c's when c is not nil. It reports
// false, taking nothing, when either is full.
func (e *Engine) acquire(c *Connection) bool {
	if c != nil {
		if n := c.inflight.Add(1); e.maxPerConn > 0 && n > e.maxPerConn {
			c.inflight.Add(-1)
			e.metrics.throttled("connection")
			return false
		}
	}
	if n := e.running.Add(1); e.maxInflight > 0 && n > e.maxInflight {
		e.running.Add(-1)
		if c != nil {
			c.inflight.Add(-1)
		}
		e.metrics.throttled("node")
		return false
	}
	return true
}

// release gives back what acquire took.
func (e *Engine) release(c *Connection) {
	e.running.Add(-1)
	if c != nil {
		c.inflight.Add(-1)
	}
}

// Inflight is the number of integration calls running that hold a slot (every call but MOCK and
// $disconnect).
func (e *Engine) Inflight() int64 { return e.running.Load() }
