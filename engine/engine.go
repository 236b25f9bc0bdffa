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
	now      func() time.Time
}

// Options configure an Engine.
type Options struct {
	Logger    *zap.Logger // nil: no logs
	AccessLog *zap.Logger // nil: no access log for HTTP and REST requests
	Metrics   *Metrics    // nil: not counted
}

// New returns an Engine serving d.
func New(d *Deployment, opts Options) *Engine {
	e := &Engine{log: opts.Logger, accessLog: opts.AccessLog, metrics: opts.Metrics, now: time.Now}
	if e.log == nil {
		e.log = zap.NewNop()
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
