package portico

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/transport"
)

// Handshake implements transport.WebSocketHandler: it resolves the API and stage, runs $connect and
// decides the handshake. The connection's actor is spawned only once the 101 is written, so
// @connections calls made while $connect runs find no connection (410), as in API Gateway.
func (n *Node) Handshake(r *http.Request) transport.Decision {
	st, ok := n.engine.Deployment().ResolveStage(r.Host, r.URL.Path)
	if !ok {
		return transport.Decision{Status: http.StatusForbidden, Header: jsonHeader(), Body: []byte(`{"message":"Forbidden"}`)}
	}
	sourceIP, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		sourceIP = r.RemoteAddr
	}
	proto, port := "http", ""
	if r.TLS != nil {
		proto = "https"
	}
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		port = n.listenerPort(la)
	}
	info := &engine.Connection{
		ID:           connid.NewConnectionID(n.tag),
		Stage:        st,
		ConnectedAt:  time.Now(),
		DomainName:   r.Host,
		SourceIP:     sourceIP,
		UserAgent:    r.UserAgent(),
		Header:       r.Header,
		Query:        r.URL.Query(),
		ListenerPort: port,
		Proto:        proto,
		APIKey:       r.Header.Get("X-Api-Key"),
		Host:         r.Host,
	}
	res := n.engine.Connect(r.Context(), info)
	if res.Status < 200 || res.Status > 299 {
		return transport.Decision{Status: res.Status, Header: res.Header, Body: res.Body}
	}
	return transport.Decision{
		Status: http.StatusSwitchingProtocols,
		Header: upgradeHeaders(res.Header),
		OnUpgraded: func(c *transport.Conn) transport.ConnHandler {
			info.ForgetHandshake()
			return n.actors.Open(info, c)
		},
		OnFailed: func(error) {
			info.ForgetHandshake()
			n.engine.Disconnect(info, 1006, "")
		},
	}
}

// upgradeHeaders keeps the $connect integration's response headers that may go into a 101
// (Sec-WebSocket-Protocol chosen by the backend among them).
func upgradeHeaders(h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Upgrade",
			"Sec-Websocket-Accept", "Sec-Websocket-Extensions", "Date", "Keep-Alive":
			continue
		}
		out[k] = v
	}
	return out
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}}
}

// portText is a listener port and its decimal text.
type portText struct {
	port int
	text string
}

// listenerPort returns the text of the port of a, the address a client connected to. Connections
// share the text instead of each keeping a copy of the address's.
func (n *Node) listenerPort(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			return p
		}
		return ""
	}
	if last := n.lastPort.Load(); last != nil && last.port == ta.Port {
		return last.text
	}
	p := &portText{port: ta.Port, text: strconv.Itoa(ta.Port)}
	n.lastPort.Store(p)
	return p.text
}
