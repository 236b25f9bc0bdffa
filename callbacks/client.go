package callbacks

import (
	"github.com/nats-io/nats.go"

	"github.com/portico-gateway/portico/callbacks/connections"
)

// The Go client for backends, its errors and ConnectionInfo live in the leaf package
// callbacks/connections, which imports nats.go and nothing of the server. These names keep the
// callbacks spelling working: errors.Is(err, callbacks.ErrGone) holds for the same values.
type (
	// Client is connections.Client.
	Client = connections.Client
	// Error is connections.Error.
	Error = connections.Error
	// ConnectionInfo is connections.ConnectionInfo.
	ConnectionInfo = connections.ConnectionInfo
)

// NewClient returns a client on nc (connections.NewClient).
func NewClient(nc *nats.Conn) *Client { return connections.NewClient(nc) }

// MaxPostBytes is the largest message PostToConnection accepts (API Gateway's 128 KiB).
const MaxPostBytes = connections.MaxPostBytes

// The errors of the @connections API (connections' table).
var (
	ErrGone            = connections.ErrGone
	ErrForbidden       = connections.ErrForbidden
	ErrPayloadTooLarge = connections.ErrPayloadTooLarge
	ErrLimitExceeded   = connections.ErrLimitExceeded
	ErrUnavailable     = connections.ErrUnavailable
	ErrBadRequest      = connections.ErrBadRequest
)
