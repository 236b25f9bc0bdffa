package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/portico-gateway/portico/engine/events"
)

// Event types of WebSocket events.
const (
	EventConnect    = events.Connect
	EventMessage    = events.Message
	EventDisconnect = events.Disconnect
)

// wsRequest is one WebSocket event on its way through the engine: a $connect, a message or a
// $disconnect. It implements mapping.Vars and routeselect.Source so templates and selection
// expressions read it without copying.
type wsRequest struct {
	conn *Connection
	// stage is the connection's stage in the deployment the event runs on.
	stage      *Stage
	metrics    *routeMetrics
	eventType  string
	routeKey   string
	requestID  string
	messageID  string
	body       []byte
	time       time.Time
	discCode   int
	discReason string
}

// event describes the request for its Lambda proxy event.
func (r *wsRequest) event() *events.WebSocket {
	c := r.conn
	return &events.WebSocket{EventType: r.eventType, RouteKey: r.routeKey, RequestID: r.requestID, MessageID: r.messageID,
		Body: r.body, Time: r.time, DisconnectStatusCode: r.discCode, DisconnectReason: r.discReason,
		ConnectionID: c.ID, ConnectedAt: c.ConnectedAt, DomainName: c.DomainName, SourceIP: c.SourceIP, UserAgent: c.UserAgent,
		Header: c.Header, Query: c.Query, ListenerPort: c.ListenerPort, Proto: c.Proto, APIKey: c.APIKey, Host: c.Host,
		Stage: r.stage.Name, APIID: r.stage.API.ID, StageVariables: r.stage.Variables}
}

// appendWebSocketEvent appends the request's Lambda proxy event.
func appendWebSocketEvent(dst []byte, r *wsRequest) []byte {
	return events.AppendWebSocket(dst, r.event())
}

// Body implements mapping.Vars.
func (r *wsRequest) Body() []byte { return r.body }

// Context implements mapping.Vars and routeselect.Source: the $context variables of a WebSocket API.
func (r *wsRequest) Context(name string) (string, bool) {
	c := r.conn
	switch name {
	case "requestId", "extendedRequestId":
		return r.requestID, true
	case "connectionId":
		return c.ID, true
	case "routeKey":
		return r.routeKey, true
	case "eventType":
		return r.eventType, true
	case "messageId":
		return r.messageID, r.messageID != ""
	case "messageDirection":
		return "IN", true
	case "stage":
		return r.stage.Name, true
	case "apiId":
		return r.stage.API.ID, true
	case "domainName":
		return c.DomainName, true
	case "domainPrefix":
		p := c.DomainName
		if i := strings.IndexByte(p, '.'); i >= 0 {
			p = p[:i]
		}
		return p, true
	case "connectedAt":
		return strconv.FormatInt(c.ConnectedAt.UnixMilli(), 10), true
	case "requestTime":
		return events.FormatRequestTime(r.time), true
	case "requestTimeEpoch":
		return strconv.FormatInt(r.time.UnixMilli(), 10), true
	case "identity.sourceIp":
		return c.SourceIP, true
	case "identity.userAgent":
		return c.UserAgent, true
	case "disconnectStatusCode":
		return strconv.Itoa(r.discCode), r.eventType == EventDisconnect
	case "disconnectReason":
		return r.discReason, r.eventType == EventDisconnect
	}
	return "", false
}

// StageVariable implements mapping.Vars and routeselect.Source.
func (r *wsRequest) StageVariable(name string) (string, bool) {
	v, ok := r.stage.Variables[name]
	return v, ok
}

// Param implements mapping.Vars: the handshake's query string, then headers (on $connect).
func (r *wsRequest) Param(name string) (string, bool) {
	if v, ok := r.QueryString(name); ok {
		return v, true
	}
	return r.Header(name)
}

// Header implements routeselect.Source.
func (r *wsRequest) Header(name string) (string, bool) {
	if r.conn.Header == nil {
		return "", false
	}
	v := r.conn.Header.Values(name)
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// QueryString implements routeselect.Source.
func (r *wsRequest) QueryString(name string) (string, bool) {
	if r.conn.Query == nil {
		return "", false
	}
	v, ok := r.conn.Query[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// PathParameter implements routeselect.Source; WebSocket routes have none.
func (r *wsRequest) PathParameter(string) (string, bool) { return "", false }

// Method implements routeselect.Source; WebSocket events have none.
func (r *wsRequest) Method() string { return "" }

// Path implements routeselect.Source: the stage path of the connection.
func (r *wsRequest) Path() string { return "/" + r.stage.Name }

// handshakeOnlyHeaders belong to the WebSocket handshake with Portico and are not forwarded to an
// HTTP integration's $connect request (hop-by-hop headers are dropped by copyHeaders).
var handshakeOnlyHeaders = []string{"Host", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions"}
