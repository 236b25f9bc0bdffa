package events

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// Event types of WebSocket events.
const (
	Connect    = "CONNECT"
	Message    = "MESSAGE"
	Disconnect = "DISCONNECT"
)

// WebSocket is one WebSocket event: a $connect, a message or a $disconnect, with what API Gateway
// tells the integration of its connection.
type WebSocket struct {
	EventType string // Connect, Message or Disconnect
	RouteKey  string
	RequestID string
	MessageID string // messages only
	Body      []byte // messages only
	Time      time.Time
	// DisconnectStatusCode and DisconnectReason: $disconnect only.
	DisconnectStatusCode int
	DisconnectReason     string

	ConnectionID string
	ConnectedAt  time.Time
	DomainName   string
	SourceIP     string
	UserAgent    string
	// Header and Query are the handshake's ($connect only).
	Header http.Header
	Query  url.Values
	// ListenerPort and Proto fill X-Forwarded-Port and X-Forwarded-Proto.
	ListenerPort   string
	Proto          string
	APIKey         string // the handshake's x-api-key, repeated on $disconnect
	Host           string
	Stage          string
	APIID          string
	StageVariables map[string]string
	// TraceID is the $connect event's X-Amzn-Trace-Id; empty: a new one.
	TraceID string
}

// AppendWebSocket appends the Lambda proxy event API Gateway sends for a WebSocket event,
// decodable as aws-lambda-go's events.APIGatewayWebsocketProxyRequest.
func AppendWebSocket(dst []byte, r *WebSocket) []byte {
	c := r
	dst = append(dst, '{')
	switch r.EventType {
	case Connect:
		h := connectHeaders(r)
		keys := sortedKeys(h)
		dst = appendKey(dst, "headers")
		dst = appendStringMap(dst, keys, func(k string) string { v := h[k]; return v[len(v)-1] })
		dst = append(dst, ',')
		dst = appendKey(dst, "multiValueHeaders")
		dst = appendMultiMap(dst, keys, func(k string) []string { return h[k] })
		dst = append(dst, ',')
		if len(c.Query) > 0 {
			qk := make([]string, 0, len(c.Query))
			for k := range c.Query {
				qk = append(qk, k)
			}
			sort.Strings(qk)
			dst = appendKey(dst, "queryStringParameters")
			dst = appendStringMap(dst, qk, func(k string) string { v := c.Query[k]; return v[len(v)-1] })
			dst = append(dst, ',')
			dst = appendKey(dst, "multiValueQueryStringParameters")
			dst = appendMultiMap(dst, qk, func(k string) []string { return c.Query[k] })
			dst = append(dst, ',')
		}
	case Disconnect:
		h := disconnectHeaders(c)
		keys := []string{"Host", "x-api-key", "X-Forwarded-For", "x-restapi"}
		dst = appendKey(dst, "headers")
		dst = appendStringMap(dst, keys, func(k string) string { return h[k] })
		dst = append(dst, ',')
		dst = appendKey(dst, "multiValueHeaders")
		dst = appendMultiMap(dst, keys, func(k string) []string { return []string{h[k]} })
		dst = append(dst, ',')
	}
	dst = appendKey(dst, "requestContext")
	dst = append(dst, '{')
	dst = appendStringField(dst, "routeKey", r.RouteKey)
	if r.EventType == Message {
		dst = append(dst, ',')
		dst = appendStringField(dst, "messageId", r.MessageID)
	}
	if r.EventType == Disconnect {
		dst = append(dst, ',')
		dst = appendIntField(dst, "disconnectStatusCode", int64(r.DisconnectStatusCode))
		dst = append(dst, ',')
		dst = appendStringField(dst, "disconnectReason", r.DisconnectReason)
	}
	dst = append(dst, ',')
	dst = appendStringField(dst, "eventType", r.EventType)
	dst = append(dst, ',')
	dst = appendStringField(dst, "extendedRequestId", r.RequestID)
	dst = append(dst, `,"requestTime":"`...)
	dst = appendRequestTime(dst, r.Time)
	dst = append(dst, `","messageDirection":"IN",`...)
	dst = appendStringField(dst, "stage", c.Stage)
	dst = append(dst, ',')
	dst = appendIntField(dst, "connectedAt", c.ConnectedAt.UnixMilli())
	dst = append(dst, ',')
	dst = appendIntField(dst, "requestTimeEpoch", r.Time.UnixMilli())
	dst = append(dst, `,"identity":{`...)
	dst = appendStringField(dst, "userAgent", c.UserAgent)
	dst = append(dst, ',')
	dst = appendStringField(dst, "sourceIp", c.SourceIP)
	dst = append(dst, "},"...)
	dst = appendStringField(dst, "requestId", r.RequestID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainName", c.DomainName)
	dst = append(dst, ',')
	dst = appendStringField(dst, "connectionId", c.ConnectionID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "apiId", c.APIID)
	dst = append(dst, "},"...)
	if r.EventType == Message {
		dst = appendKey(dst, "body")
		dst = appendJSONBytes(dst, r.Body)
		dst = append(dst, ',')
	}
	if len(c.StageVariables) > 0 {
		sk := sortedKeys(c.StageVariables)
		dst = appendKey(dst, "stageVariables")
		dst = appendStringMap(dst, sk, func(k string) string { return c.StageVariables[k] })
		dst = append(dst, ',')
	}
	dst = append(dst, `"isBase64Encoded":false}`...)
	return dst
}

// connectHeaders are the handshake's headers as $connect sees them: the client's, plus the
// X-Forwarded-* and X-Amzn-Trace-Id headers API Gateway adds.
func connectHeaders(r *WebSocket) map[string][]string {
	c := r
	h := make(map[string][]string, len(c.Header)+5)
	for k, v := range c.Header {
		if len(v) == 0 || k == "Connection" || k == "Upgrade" {
			// The hop-by-hop headers of the upgrade are not part of the event.
			continue
		}
		h[canonicalHeaderName(k)] = v
	}
	if c.Host != "" {
		h["Host"] = []string{c.Host}
	}
	xff := c.SourceIP
	if prior, ok := h["X-Forwarded-For"]; ok && len(prior) > 0 {
		xff = prior[len(prior)-1] + ", " + c.SourceIP
	}
	h["X-Forwarded-For"] = []string{xff}
	h["X-Forwarded-Port"] = []string{c.ListenerPort}
	h["X-Forwarded-Proto"] = []string{c.Proto}
	h["X-Amzn-Trace-Id"] = []string{orTraceID(r.TraceID, r.Time)}
	return h
}

func disconnectHeaders(c *WebSocket) map[string]string {
	return map[string]string{
		"Host":            c.Host,
		"x-api-key":       c.APIKey,
		"X-Forwarded-For": c.SourceIP,
		"x-restapi":       "",
	}
}

// traceID returns an X-Ray style trace id: Root=1-{8 hex seconds}-{24 hex random}.
func orTraceID(id string, t time.Time) string {
	if id != "" {
		return id
	}
	return traceID(t)
}

func traceID(t time.Time) string {
	var rnd [12]byte
	FillRandom(rnd[:])
	b := make([]byte, 0, 40)
	b = append(b, "Root=1-"...)
	b = strconv.AppendUint(b, uint64(t.Unix()), 16)
	b = append(b, '-')
	b = append(b, hex.EncodeToString(rnd[:])...)
	return string(b)
}

// FormatRequestTime formats t as API Gateway's requestTime: 20/Jan/2024:11:55:08 +0000.
func FormatRequestTime(t time.Time) string {
	var b [26]byte
	return string(appendRequestTime(b[:0], t))
}

func appendRequestTime(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, "02/Jan/2006:15:04:05 +0000")
}

// canonicalHeaderName spells well-known WebSocket headers as clients send them
// (net/http canonicalises "Sec-WebSocket-Key" to "Sec-Websocket-Key").
func canonicalHeaderName(k string) string {
	switch k {
	case "Sec-Websocket-Key":
		return "Sec-WebSocket-Key"
	case "Sec-Websocket-Version":
		return "Sec-WebSocket-Version"
	case "Sec-Websocket-Extensions":
		return "Sec-WebSocket-Extensions"
	case "Sec-Websocket-Protocol":
		return "Sec-WebSocket-Protocol"
	}
	return k
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
