package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
)

// NATSConn is the part of *nats.Conn the NATS integration uses.
type NATSConn interface {
	RequestMsgWithContext(ctx context.Context, msg *nats.Msg) (*nats.Msg, error)
	IsConnected() bool
}

// natsIntegration is AWS_PROXY over NATS: a request-reply on the integration's subject whose payload
// is the Lambda proxy event and whose reply is the Lambda proxy response. A reply carrying the
// Nats-Service-Error header (as NATS micro services send) is an integration error.
type natsIntegration struct {
	subject string
	nc      NATSConn
	state   *NATSState
}

// Invoke implements Integration.
func (n *natsIntegration) Invoke(ctx context.Context, r *wsRequest) (*Response, error) {
	if n.nc == nil || !n.nc.IsConnected() {
		return nil, fmt.Errorf("nats %s: %w", n.subject, ErrUnavailable)
	}
	ctx, release, down := n.state.Bind(ctx)
	defer release()
	if down {
		return nil, fmt.Errorf("nats %s: %w", n.subject, ErrUnavailable)
	}
	ev := appendWebSocketEvent(make([]byte, 0, 512+len(r.body)), r)
	msg := &nats.Msg{Subject: n.subject, Data: ev}
	reply, err := n.nc.RequestMsgWithContext(ctx, msg)
	switch {
	case err == nil:
	case n.state.Down():
		return nil, fmt.Errorf("nats %s: %w: connection lost", n.subject, ErrUnavailable)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return nil, fmt.Errorf("nats %s: %w", n.subject, ErrTimeout)
	case errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrConnectionClosed),
		errors.Is(err, nats.ErrConnectionDraining), errors.Is(err, nats.ErrDisconnected):
		return nil, fmt.Errorf("nats %s: %w: %v", n.subject, ErrUnavailable, err)
	default:
		return nil, fmt.Errorf("nats %s: %w", n.subject, err)
	}
	if e := reply.Header.Get("Nats-Service-Error"); e != "" {
		return nil, fmt.Errorf("nats %s: backend error: %s", n.subject, e)
	}
	return parseProxyResponse(reply.Data)
}

var _ Integration = (*natsIntegration)(nil)
