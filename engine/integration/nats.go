package integration

import (
	"context"
	"errors"

	"github.com/nats-io/nats.go"
)

// NATSConn is the part of *nats.Conn the NATS integration uses.
type NATSConn interface {
	RequestMsgWithContext(ctx context.Context, msg *nats.Msg) (*nats.Msg, error)
	IsConnected() bool
}

// LinkState follows the node's NATS connection so that requests in flight fail at once when it
// drops. Bind returns ctx, also cancelled when the connection drops, its release function, and
// whether the connection is already down.
type LinkState interface {
	Bind(ctx context.Context) (context.Context, func(), bool)
	Down() bool
}

// natsInvoker is AWS_PROXY over NATS: a request-reply on the integration's subject whose payload is
// the Lambda proxy event and whose reply is the Lambda proxy response. A reply carrying the
// Nats-Service-Error header (as NATS micro services send) is a BackendError.
type natsInvoker struct {
	subject string
	nc      NATSConn
	state   LinkState
}

// Invoke implements Invoker.
func (n *natsInvoker) Invoke(ctx context.Context, req *Request) (*Response, error) {
	reply, err := RequestNATS(ctx, n.nc, n.state, &nats.Msg{Subject: n.subject, Data: req.Body})
	if err != nil {
		return nil, err
	}
	if e := reply.Header.Get("Nats-Service-Error"); e != "" {
		return nil, Errorf(BackendError, n.subject, "service error: %s", e)
	}
	return &Response{StatusCode: 200, Body: reply.Data}, nil
}

// RequestNATS makes one NATS request and classifies its failure: Unavailable when the connection is
// down or drops while waiting, or nobody listens on the subject; Timeout when ctx runs out.
func RequestNATS(ctx context.Context, nc NATSConn, state LinkState, msg *nats.Msg) (*nats.Msg, error) {
	if nc == nil || !nc.IsConnected() {
		return nil, Errorf(Unavailable, msg.Subject, "NATS is not connected")
	}
	if state != nil {
		var release func()
		var down bool
		ctx, release, down = state.Bind(ctx)
		defer release()
		if down {
			return nil, Errorf(Unavailable, msg.Subject, "NATS is not connected")
		}
	}
	reply, err := nc.RequestMsgWithContext(ctx, msg)
	switch {
	case err == nil:
		return reply, nil
	case state != nil && state.Down():
		return nil, &Error{Kind: Unavailable, Backend: msg.Subject, Err: errors.Join(errors.New("connection lost"), err)}
	case errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrConnectionClosed),
		errors.Is(err, nats.ErrConnectionDraining), errors.Is(err, nats.ErrDisconnected):
		return nil, &Error{Kind: Unavailable, Backend: msg.Subject, Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return nil, &Error{Kind: Timeout, Backend: msg.Subject, Err: err}
	}
	return nil, &Error{Kind: BackendError, Backend: msg.Subject, Err: err}
}

// NATS is the NATS integration type: AWS_PROXY over NATS request-reply.
var NATS = &Type{
	Name:      "NATS",
	Payload:   PayloadEvent,
	Proxy:     true,
	Target:    TargetSubject,
	Protocols: []string{ProtocolWebSocket, ProtocolHTTP, ProtocolREST},
	New: func(s Spec) (Invoker, error) {
		return &natsInvoker{subject: s.URI, nc: s.Deps.NATS, state: s.Deps.NATSState}, nil
	},
}

var _ Invoker = (*natsInvoker)(nil)
