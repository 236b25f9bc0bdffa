package transport

import (
	"net/http"

	"github.com/gobwas/ws"
)

// WebSocketHandler decides on upgrades. Handshake runs on the request's goroutine and may block (it
// runs the $connect route).
type WebSocketHandler interface {
	Handshake(r *http.Request) Decision
}

// Decision is a WebSocketHandler's answer to an upgrade request.
type Decision struct {
	// Status 0 or 101 accepts the upgrade; anything else refuses it with this HTTP status.
	Status int
	// Header is added to the 101 response or to the refusal. The handler chooses the subprotocol
	// here (Sec-WebSocket-Protocol); the transport negotiates none itself.
	Header http.Header
	// Body is the refusal body.
	Body []byte
	// OnUpgraded is required when accepting. It runs once the 101 has been written and returns the
	// handler of the connection's events; no event reaches the connection before it returns.
	OnUpgraded func(c *Conn) ConnHandler
	// OnFailed is optional: it runs when the upgrade fails after the handler accepted it.
	OnFailed func(err error)
}

// ConnHandler receives one connection's events. Calls for one connection never overlap.
type ConnHandler interface {
	// OnMessage gets one complete message (text or binary). payload is valid only until OnMessage
	// returns.
	OnMessage(op ws.OpCode, payload []byte)
	// OnClose is called exactly once, when the connection has ended: with the client's close code
	// (1005 when its close frame had none), the code the server closed with, or 1006 when the
	// connection broke without a close frame.
	OnClose(code ws.StatusCode, reason string)
}

// refuses reports whether the decision refuses the upgrade.
func (d Decision) refuses() bool {
	return d.Status != 0 && d.Status != http.StatusSwitchingProtocols
}

// failed reports err to OnFailed when it is set.
func (d Decision) failed(err error) {
	if d.OnFailed != nil {
		d.OnFailed(err)
	}
}

// nopHandler stands in when OnUpgraded returns no handler, so that events still have a receiver.
type nopHandler struct{}

func (nopHandler) OnMessage(ws.OpCode, []byte)   {}
func (nopHandler) OnClose(ws.StatusCode, string) {}

var _ ConnHandler = nopHandler{}
