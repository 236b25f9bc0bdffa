// Package natsreq makes NATS requests and classifies their failures, once for every part that sends
// them (the @connections service and client, the engine's NATS integrations): no responders, a
// timeout, or NATS unavailable (the connection down, closed, draining or reconnecting, or dropped
// while the request waited). It imports nats.go and the standard library only.
package natsreq

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
)

// Conn is the part of *nats.Conn a request needs.
type Conn interface {
	RequestMsgWithContext(ctx context.Context, msg *nats.Msg) (*nats.Msg, error)
	IsConnected() bool
}

// The classes of a failed request. Every error Request returns wraps one of them, or the caller's
// own context error when the caller cancelled, and wraps the NATS client's error too.
var (
	// ErrNoResponders: nobody subscribes to the subject.
	ErrNoResponders = errors.New("no responders")
	// ErrTimeout: no reply before ctx's deadline.
	ErrTimeout = errors.New("timeout")
	// ErrUnavailable: the connection is down, closed, draining or reconnecting, or it dropped while
	// the request waited for its reply.
	ErrUnavailable = errors.New("NATS unavailable")
)

// Link follows a connection's state, as *State does: Bind returns ctx, also cancelled when the
// connection drops, its release function, and whether the connection is already down.
type Link interface {
	Bind(ctx context.Context) (context.Context, func(), bool)
	Down() bool
}

// Request sends msg on nc and waits for its reply until ctx ends. state, when not nil, makes the
// request fail at once with ErrUnavailable when the connection drops. ctx should carry a deadline.
func Request(ctx context.Context, nc Conn, state Link, msg *nats.Msg) (*nats.Msg, error) {
	if state == nil {
		state = (*State)(nil)
	}
	if nc == nil || !nc.IsConnected() {
		return nil, fail(msg, ErrUnavailable, notConnected(nc))
	}
	bound, release, down := state.Bind(ctx)
	defer release()
	if down {
		return nil, fail(msg, ErrUnavailable, errConnectionLost)
	}
	reply, err := nc.RequestMsgWithContext(bound, msg)
	if err == nil {
		return reply, nil
	}
	return nil, classify(bound, nc, state, msg, err)
}

// classify names the class of err, a failed request's error; bound is the context the request ran
// with.
func classify(bound context.Context, nc Conn, state Link, msg *nats.Msg, err error) error {
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return fail(msg, ErrNoResponders, err)
	case errors.Is(context.Cause(bound), errConnectionLost), state.Down(),
		errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrConnectionDraining),
		errors.Is(err, nats.ErrDisconnected), errors.Is(err, nats.ErrConnectionReconnecting),
		!nc.IsConnected():
		return fail(msg, ErrUnavailable, err)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return fail(msg, ErrTimeout, err)
	default:
		// Among them the caller's own cancellation: not a class of NATS failure.
		return fmt.Errorf("nats request %s: %w", msg.Subject, err)
	}
}

// notConnected is the NATS client's error for a connection that is not connected.
func notConnected(nc Conn) error {
	if c, ok := nc.(interface{ IsClosed() bool }); ok && c.IsClosed() {
		return nats.ErrConnectionClosed
	}
	return nats.ErrDisconnected
}

func fail(msg *nats.Msg, class, err error) error {
	return fmt.Errorf("nats request %s: %w: %w", msg.Subject, class, err)
}
