package engine

import (
	"context"
	"time"

	"github.com/portico-gateway/portico/engine/integration"
)

// target is a route's compiled integration, the same for every API kind: the type from the
// registry, its invoker, and what the adapter needs to build the invoker's request.
type target struct {
	typ     *integration.Type
	inv     integration.Invoker
	uri     string
	method  string // the integration method of an HTTP backend; "" or ANY: the request's
	timeout time.Duration
	inline  bool // the invoker does no I/O: no goroutine, no deadline
	streams bool // the invoker streams request and response bodies
}

// targetSpec is what a target is compiled from, in the API kind's spelling of the fields.
type targetSpec struct {
	protocol  string
	typeName  string
	uri       string
	method    string
	timeoutMS int
	stream    bool // an HTTP_PROXY that may stream (HTTP and REST APIs)
}

func compileTarget(s targetSpec, deps Deps) (*target, error) {
	typ, ok := integration.Lookup(s.typeName)
	if !ok {
		return nil, integration.Errorf(integration.Invalid, s.typeName, "unknown integration type %q", s.typeName)
	}
	if err := typ.Check(s.protocol); err != nil {
		return nil, err
	}
	inv, err := typ.New(integration.Spec{Protocol: s.protocol, URI: s.uri, Stream: s.stream && typ.Proxy, Deps: deps.integrationDeps()})
	if err != nil {
		return nil, err
	}
	return &target{typ: typ, inv: inv, uri: s.uri, method: s.method,
		timeout: time.Duration(s.timeoutMS) * time.Millisecond,
		inline:  integration.IsInline(inv), streams: integration.Streams(inv)}, nil
}

// call invokes the target within ctx (which carries the deadline of the caller's choosing), counting
// latency and failures.
func (e *Engine) call(ctx context.Context, rm *routeMetrics, t *target, req *integration.Request) (*integration.Response, error) {
	start := time.Now()
	resp, err := t.inv.Invoke(ctx, req)
	rm.integrationTook(time.Since(start))
	if err == nil && ctx.Err() != nil && !t.streams {
		err = &integration.Error{Kind: integration.Timeout, Backend: t.uri, Err: ctx.Err()}
	}
	if err != nil {
		rm.integrationFailed()
	}
	return resp, err
}

// deadline bounds ctx by the target's timeout; an inline target needs none (it could never be cut
// short, and a timer per message would be wasted).
func (t *target) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if t.inline || t.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, t.timeout)
}
