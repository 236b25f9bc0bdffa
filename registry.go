package portico

import (
	"errors"

	"github.com/gobwas/ws"

	"github.com/portico-gateway/portico/actors"
	"github.com/portico-gateway/portico/callbacks"
)

// connRegistry is the node's actor system as the @connections service sees it.
type connRegistry struct{ sys *actors.System }

// Get implements callbacks.Registry.
func (r connRegistry) Get(id string) (callbacks.Conn, bool) {
	c, ok := r.sys.Get(id)
	if !ok {
		return nil, false
	}
	return actorConn{c}, true
}

// actorConn is one connection's actor as a callbacks.Conn. It holds one pointer, so it fits an
// interface value without an allocation.
type actorConn struct{ c *actors.Connection }

func (a actorConn) Stage() string { return a.c.Info().Stage.Name }

func (a actorConn) Info() callbacks.ConnectionInfo {
	info := a.c.Info()
	return callbacks.ConnectionInfo{ConnectedAt: info.ConnectedAt, SourceIP: info.SourceIP, UserAgent: info.UserAgent,
		LastActiveAt: a.c.LastActiveAt()}
}

func (a actorConn) Post(data []byte) error {
	if err := a.c.Post(data); errors.Is(err, actors.ErrQueueFull) {
		return callbacks.ErrLimitExceeded
	} else if err != nil {
		return callbacks.ErrGone
	}
	return nil
}

func (a actorConn) Close() { a.c.Close(ws.StatusNormalClosure, "") }

var (
	_ callbacks.Registry = connRegistry{}
	_ callbacks.Conn     = actorConn{}
)
