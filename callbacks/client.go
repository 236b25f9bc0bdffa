package callbacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// Client is the @connections API for backends on NATS. It sends each call to the node that owns the
// connection (the node named by the id's first eight characters), as one request on
// portico.node.{id[:8]}.{post|get|delete}.{id}. Errors are the package's *Error values, so
// errors.Is(err, callbacks.ErrGone) tells a closed connection. Safe for concurrent use.
type Client struct {
	nc *nats.Conn
	// Timeout bounds each call when ctx has no deadline. Zero means 5 seconds.
	Timeout time.Duration
}

// NewClient returns a client on nc.
func NewClient(nc *nats.Conn) *Client { return &Client{nc: nc} }

// Post sends data to the connection as one message (text when valid UTF-8, else binary).
func (c *Client) Post(ctx context.Context, connectionID string, data []byte) error {
	if len(data) > MaxPostBytes {
		return ErrPayloadTooLarge
	}
	_, err := c.call(ctx, OpPost, connectionID, data)
	return err
}

// Publish posts data without waiting for an answer: nothing reports a closed connection or a full
// queue. Messages published by one client to one connection arrive in order.
func (c *Client) Publish(connectionID string, data []byte) error {
	if len(data) > MaxPostBytes {
		return ErrPayloadTooLarge
	}
	subject, ok := Subject(OpPost, connectionID)
	if !ok {
		return ErrGone
	}
	return c.nc.Publish(subject, data)
}

// Get describes the connection.
func (c *Client) Get(ctx context.Context, connectionID string) (*ConnectionInfo, error) {
	rep, err := c.call(ctx, OpGet, connectionID, nil)
	if err != nil {
		return nil, err
	}
	return rep.Connection, nil
}

// Delete closes the connection; its $disconnect route runs.
func (c *Client) Delete(ctx context.Context, connectionID string) error {
	_, err := c.call(ctx, OpDelete, connectionID, nil)
	return err
}

func (c *Client) call(ctx context.Context, op, id string, data []byte) (*reply, error) {
	subject, ok := Subject(op, id)
	if !ok {
		return nil, ErrGone
	}
	if _, has := ctx.Deadline(); !has {
		t := c.Timeout
		if t <= 0 {
			t = 5 * time.Second
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	m, err := c.nc.RequestWithContext(ctx, subject, data)
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return nil, ErrGone
	case err != nil:
		return nil, fmt.Errorf("%s %s: %w", op, id, errors.Join(ErrUnavailable, err))
	}
	var rep reply
	if err := json.Unmarshal(m.Data, &rep); err != nil {
		return nil, fmt.Errorf("%s %s: bad reply: %w", op, id, err)
	}
	return &rep, rep.err()
}
