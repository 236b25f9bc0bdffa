package engine

import "github.com/portico-gateway/portico/internal/natsreq"

// NATSState follows the node's NATS connection so integration requests in flight fail at once when
// it drops; it is natsreq.State. A nil *NATSState never cancels.
type NATSState = natsreq.State

// NewNATSState returns a state that starts connected.
func NewNATSState() *NATSState { return natsreq.NewState() }
