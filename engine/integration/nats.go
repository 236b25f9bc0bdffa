package integration

import (
	"context"
	"errors"

	"github.com/nats-io/nats.go"

	"github.com/portico-gateway/portico/internal/natsreq"
)

// NATSConn is the part of *nats.Conn the NATS integration uses.
type NATSConn interface {
	RequestMsgWithContext(ctx context.Context, msg *nats.Msg) (*nats.Msg, error)
	IsConnected() bool
}

// LinkState follows the node's NATS connection so that requests in flight fail at once when it
// drops (natsreq.State is one).
type LinkState = natsreq.Link

// MaxNATSReply is the largest reply a NATS backend may answer with, and the embedded NATS server's
// max_payload; a larger reply (possible through a NATS server configured with a bigger max_payload)
// is a BadResponse.
const MaxNATSReply = 16 << 20

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
	if len(reply.Data) > MaxNATSReply {
		return nil, Errorf(BadResponse, n.subject, "reply of %d bytes is over %d", len(reply.Data), MaxNATSReply)
	}
	if e := reply.Header.Get("Nats-Service-Error"); e != "" {
		return nil, Errorf(BackendError, n.subject, "service error: %s", e)
	}
	return &Response{StatusCode: 200, Body: reply.Data}, nil
}

// RequestNATS makes one NATS request, classified as every NATS request of the node is
// (natsreq.Request): Unavailable when the connection is down or drops while waiting, or nobody
// listens on the subject; Timeout when ctx runs out; anything else is a BackendError.
func RequestNATS(ctx context.Context, nc NATSConn, state LinkState, msg *nats.Msg) (*nats.Msg, error) {
	if nc == nil {
		return nil, Errorf(Unavailable, msg.Subject, "NATS is not connected")
	}
	reply, err := natsreq.Request(ctx, nc, state, msg)
	switch {
	case err == nil:
		return reply, nil
	case errors.Is(err, natsreq.ErrUnavailable), errors.Is(err, natsreq.ErrNoResponders):
		return nil, &Error{Kind: Unavailable, Backend: msg.Subject, Err: err}
	case errors.Is(err, natsreq.ErrTimeout):
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
