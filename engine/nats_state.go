package engine

import (
	"context"
	"sync"
)

// NATSState follows the node's NATS connection so integration requests in flight fail at once when
// it drops, instead of waiting out their timeout for a reply that cannot come. The node calls
// Disconnected and Reconnected from the NATS connection's handlers. A nil *NATSState never cancels.
type NATSState struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
}

// NewNATSState returns a state that starts connected.
func NewNATSState() *NATSState {
	s := &NATSState{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Disconnected fails every request in flight.
func (s *NATSState) Disconnected() {
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
}

// Reconnected lets new requests through again.
func (s *NATSState) Reconnected() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
}

// bind returns ctx, also cancelled when the connection drops, and whether the connection is down.
func (s *NATSState) bind(ctx context.Context) (context.Context, func(), bool) {
	if s == nil {
		return ctx, func() {}, false
	}
	s.mu.Lock()
	link := s.ctx
	s.mu.Unlock()
	if link.Err() != nil {
		return ctx, func() {}, true
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(link, cancel)
	return ctx, func() { stop(); cancel() }, false
}

// down reports whether the connection dropped.
func (s *NATSState) down() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx.Err() != nil
}

// Bind returns ctx, also cancelled when the connection drops, its release function, and whether the
// connection is already down. Other packages making NATS requests use it to fail fast as integrations do.
func (s *NATSState) Bind(ctx context.Context) (context.Context, func(), bool) { return s.bind(ctx) }

// Down reports whether the connection is down.
func (s *NATSState) Down() bool { return s.down() }
