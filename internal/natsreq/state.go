package natsreq

import (
	"context"
	"errors"
	"sync"
)

// errConnectionLost is the cause of a bound context that State cancelled because the connection
// dropped.
var errConnectionLost = errors.New("NATS connection lost")

// State follows a NATS connection so requests in flight fail at once when it drops, instead of
// waiting out their timeout for a reply that cannot come. Its owner calls Disconnected and
// Reconnected from the connection's handlers. A nil *State never cancels. Safe for concurrent use.
type State struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
}

// NewState returns a state that starts connected.
func NewState() *State {
	s := &State{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Disconnected fails every request in flight.
func (s *State) Disconnected() {
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
}

// Reconnected lets new requests through again.
func (s *State) Reconnected() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
}

// Bind returns ctx, also cancelled when the connection drops, the function that releases it, and
// whether the connection is already down. The caller must call release once the request is done.
func (s *State) Bind(ctx context.Context) (bound context.Context, release func(), down bool) {
	if s == nil {
		return ctx, func() {}, false
	}
	s.mu.Lock()
	link := s.ctx
	s.mu.Unlock()
	if link.Err() != nil {
		return ctx, func() {}, true
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(link, func() { cancel(errConnectionLost) })
	return ctx, func() { stop(); cancel(nil) }, false
}

// Down reports whether the connection is down.
func (s *State) Down() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx.Err() != nil
}
