package engine

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Connection is what the engine knows of a WebSocket client connection. It is filled in once, at the
// handshake, and only read afterwards; the connection's actor owns everything that changes.
type Connection struct {
	ID          string
	Stage       *Stage
	ConnectedAt time.Time
	DomainName  string
	SourceIP    string
	UserAgent   string
	// Header and Query are the handshake request's; they reach $connect. Only the few headers
	// $disconnect repeats are kept after the handshake (see ForgetHandshake).
	Header http.Header
	Query  url.Values
	// ListenerPort and Proto fill the X-Forwarded-Port and X-Forwarded-Proto headers.
	ListenerPort string
	Proto        string
	// APIKey is the handshake's x-api-key header, repeated in the $disconnect event.
	APIKey string
	// Host is the handshake's Host header.
	Host string

	// inflight counts the connection's integration calls running (the engine's bookkeeping).
	inflight atomic.Int32
}

// ForgetHandshake drops the handshake's headers and query once $connect has run, so an idle
// connection keeps only what later events need.
func (c *Connection) ForgetHandshake() {
	c.Header = nil
	c.Query = nil
}
