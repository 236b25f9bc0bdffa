package connections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/internal/natsreq"
)

// DefaultTimeout bounds a call whose context has no deadline, in this client and in the node's
// forwarding of calls to other nodes. It is the one place this default lives.
const DefaultTimeout = 5 * time.Second

// MaxPostBytes is the largest message PostToConnection accepts (API Gateway's 128 KiB).
const MaxPostBytes = 128 << 10

// Client is the @connections API for backends on NATS. It sends each call to the node that owns the
// connection (the node named by the id's first eight characters), as one request on
// portico.node.{id[:8]}.{post|get|delete}.{id}. Errors are the package's *Error values, so
// errors.Is(err, connections.ErrGone) tells a closed connection. Safe for concurrent use.
type Client struct {
	nc *nats.Conn
	// Timeout bounds each call when ctx has no deadline. Zero means DefaultTimeout (5 seconds).
	Timeout time.Duration
}

// NewClient returns a client on nc.
func NewClient(nc *nats.Conn) *Client { return &Client{nc: nc} }

// Post sends data to the connection as one message (text when valid UTF-8, else binary).
func (c *Client) Post(ctx context.Context, connectionID string, data []byte) error {
	if len(data) > MaxPostBytes {
		return ErrPayloadTooLarge
	}
	_, err := c.call(ctx, connid.OpPost, connectionID, data)
	return err
}

// Publish posts data without waiting for an answer: nothing reports a closed connection or a full
// queue. Messages published by one client to one connection arrive in order.
func (c *Client) Publish(connectionID string, data []byte) error {
	if len(data) > MaxPostBytes {
		return ErrPayloadTooLarge
	}
	subject, ok := connid.Subject(connid.OpPost, connectionID)
	if !ok {
		return ErrGone
	}
	return c.nc.Publish(subject, data)
}

// Get describes the connection.
func (c *Client) Get(ctx context.Context, connectionID string) (*ConnectionInfo, error) {
	rep, err := c.call(ctx, connid.OpGet, connectionID, nil)
	if err != nil {
		return nil, err
	}
	return rep.Connection, nil
}

// Delete closes the connection; its $disconnect route runs.
func (c *Client) Delete(ctx context.Context, connectionID string) error {
	_, err := c.call(ctx, connid.OpDelete, connectionID, nil)
	return err
}

func (c *Client) call(ctx context.Context, op, id string, data []byte) (*Reply, error) {
	subject, ok := connid.Subject(op, id)
	if !ok {
		return nil, ErrGone
	}
	if _, has := ctx.Deadline(); !has {
		t := c.Timeout
		if t <= 0 {
			t = DefaultTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	m, err := natsreq.Request(ctx, c.nc, nil, &nats.Msg{Subject: subject, Data: data})
	switch {
	case errors.Is(err, natsreq.ErrNoResponders):
		// No node owns the connection any more.
		return nil, ErrGone
	case err != nil:
		return nil, fmt.Errorf("%s %s: %w", op, id, errors.Join(ErrUnavailable, err))
	}
	var rep Reply
	if err := json.Unmarshal(m.Data, &rep); err != nil {
		return nil, fmt.Errorf("%s %s: bad reply: %w", op, id, err)
	}
	return &rep, rep.Err()
}
