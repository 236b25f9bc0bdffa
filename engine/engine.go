package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Engine dispatches WebSocket events to the integrations of the current deployment. It is safe for
// concurrent use.
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

// Connect runs the $connect route for a new connection, synchronously. Without a $connect route the
// connection is accepted.
func (e *Engine) Connect(ctx context.Context, c *Connection) ConnectResult {
	e.metrics.connect()
	route, ok := c.Stage.API.Routes["$connect"]
	if !ok {
		return ConnectResult{Status: 200}
	}
	r := &wsRequest{conn: c, eventType: EventConnect, routeKey: "$connect", requestID: NewRequestID(), time: e.now()}
	resp, err := e.invoke(ctx, route, r)
	if err != nil {
		e.log.Debug("$connect integration failed", zap.String("connectionId", c.ID), zap.Error(err))
		return ConnectResult{Status: 502, Header: jsonHeader(), Body: []byte(`{"message": "Internal server error"}`)}
	}
	res := ConnectResult{Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.Body = resp.Body
		e.metrics.clientError()
	}
	return res
}

// Message routes one text message from a client and runs its integration. MOCK integrations run on
// the caller's goroutine; others run on their own goroutine, so Message returns at once. Replies and
// error frames go to rep.
func (e *Engine) Message(c *Connection, body []byte, rep Replier) { e.MessageLent(c, body, rep) }

// MessageLent is Message for a caller that wants body back to reuse its memory. It reports whether
// body may still be read after it returns (kept: an integration runs on its own goroutine with it).
// When kept is false, nothing the engine holds refers to body any more, except that a reply given to
// rep during the call may be body itself or a part of it (a passthrough MOCK echoes it).
func (e *Engine) MessageLent(c *Connection, body []byte, rep Replier) (kept bool) {
	e.metrics.message()
	api := c.Stage.API
	r := &wsRequest{conn: c, eventType: EventMessage, requestID: NewRequestID(), body: body, time: e.now()}
	r.messageID = NewRequestID() // API Gateway gives each message its own id, apart from the request id
	key, ok := api.routeTable.Select(body, r)
	if !ok {
		e.metrics.clientError()
		rep.Reply(errorFrame("Forbidden", c.ID, r.requestID))
		return false
	}
	route := api.Routes[key]
	r.routeKey = key
	if _, sync := route.Integration.(synchronous); sync {
		e.respond(route, r, rep)
		return false
	}
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		e.respond(route, r, rep)
	}()
	return true
}

func (e *Engine) respond(route *Route, r *wsRequest, rep Replier) {
	resp, err := e.invoke(context.Background(), route, r)
	if err != nil {
		if ce := e.log.Check(zap.DebugLevel, "integration failed"); ce != nil {
			ce.Write(zap.String("connectionId", r.conn.ID), zap.String("routeKey", r.routeKey), zap.Error(err))
		}
		rep.Reply(errorFrame("Internal server error", r.conn.ID, r.requestID))
		return
	}
	if route.TwoWay && len(resp.Body) > 0 {
		rep.Reply(resp.Body)
	}
}

// Disconnect runs the $disconnect route, best effort, on its own goroutine; its result is ignored.
func (e *Engine) Disconnect(c *Connection, code int, reason string) {
	route, ok := c.Stage.API.Routes["$disconnect"]
	if !ok {
		return
	}
	r := &wsRequest{conn: c, eventType: EventDisconnect, routeKey: "$disconnect", requestID: NewRequestID(),
		time: e.now(), discCode: code, discReason: reason}
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		if _, err := e.invoke(context.Background(), route, r); err != nil {
			e.log.Debug("$disconnect integration failed", zap.String("connectionId", c.ID), zap.Error(err))
		}
	}()
}

func (e *Engine) invoke(ctx context.Context, route *Route, r *wsRequest) (*Response, error) {
	// An integration that does no I/O finishes without waiting on anything: a deadline (a runtime
	// timer per message) could never cut it short.
	if _, sync := route.Integration.(synchronous); !sync && route.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, route.Timeout)
		defer cancel()
	}
	start := time.Now()
	resp, err := route.Integration.Invoke(ctx, r)
	e.metrics.integrationLatency(time.Since(start))
	if err == nil && ctx.Err() != nil {
		err = ErrTimeout
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrTimeout) {
			err = errors.Join(ErrTimeout, err)
		}
		e.metrics.integrationError()
	}
	return resp, err
}

// errorFrame is API Gateway's error frame: {"message": "...", "connectionId":"...", "requestId":"..."}
// with a space only after "message": and after the commas.
func errorFrame(message, connID, requestID string) []byte {
	b := make([]byte, 0, 96)
	b = append(b, `{"message": `...)
	b = appendJSONString(b, message)
	b = append(b, `, "connectionId":`...)
	b = appendJSONString(b, connID)
	b = append(b, `, "requestId":`...)
	b = appendJSONString(b, requestID)
	return append(b, '}')
}

func jsonHeader() map[string][]string {
	return map[string][]string{"Content-Type": {"application/json"}}
}
