package engine

import (
	"encoding/hex"
	"sort"
	"strconv"
	"time"
)

// appendWebSocketEvent appends the Lambda proxy event API Gateway sends for a WebSocket event,
// decodable as aws-lambda-go's events.APIGatewayWebsocketProxyRequest.
func appendWebSocketEvent(dst []byte, r *wsRequest) []byte {
	c := r.conn
	dst = append(dst, '{')
	switch r.eventType {
	case EventConnect:
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
	case EventDisconnect:
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
	dst = appendStringField(dst, "routeKey", r.routeKey)
	if r.eventType == EventMessage {
		dst = append(dst, ',')
		dst = appendStringField(dst, "messageId", r.messageID)
	}
	if r.eventType == EventDisconnect {
		dst = append(dst, ',')
		dst = appendIntField(dst, "disconnectStatusCode", int64(r.discCode))
		dst = append(dst, ',')
		dst = appendStringField(dst, "disconnectReason", r.discReason)
	}
	dst = append(dst, ',')
	dst = appendStringField(dst, "eventType", r.eventType)
	dst = append(dst, ',')
	dst = appendStringField(dst, "extendedRequestId", r.requestID)
	dst = append(dst, `,"requestTime":"`...)
	dst = appendRequestTime(dst, r.time)
	dst = append(dst, `","messageDirection":"IN",`...)
	dst = appendStringField(dst, "stage", c.Stage.Name)
	dst = append(dst, ',')
	dst = appendIntField(dst, "connectedAt", c.ConnectedAt.UnixMilli())
	dst = append(dst, ',')
	dst = appendIntField(dst, "requestTimeEpoch", r.time.UnixMilli())
	dst = append(dst, `,"identity":{`...)
	dst = appendStringField(dst, "userAgent", c.UserAgent)
	dst = append(dst, ',')
	dst = appendStringField(dst, "sourceIp", c.SourceIP)
	dst = append(dst, "},"...)
	dst = appendStringField(dst, "requestId", r.requestID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainName", c.DomainName)
	dst = append(dst, ',')
	dst = appendStringField(dst, "connectionId", c.ID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "apiId", c.Stage.API.ID)
	dst = append(dst, "},"...)
	if r.eventType == EventMessage {
		dst = appendKey(dst, "body")
		dst = appendJSONBytes(dst, r.body)
		dst = append(dst, ',')
	}
	if len(c.Stage.Variables) > 0 {
		sk := sortedKeys(c.Stage.Variables)
		dst = appendKey(dst, "stageVariables")
		dst = appendStringMap(dst, sk, func(k string) string { return c.Stage.Variables[k] })
		dst = append(dst, ',')
	}
	dst = append(dst, `"isBase64Encoded":false}`...)
	return dst
}

// connectHeaders are the handshake's headers as $connect sees them: the client's, plus the
// X-Forwarded-* and X-Amzn-Trace-Id headers API Gateway adds.
func connectHeaders(r *wsRequest) map[string][]string {
	c := r.conn
	h := make(map[string][]string, len(c.Header)+5)
	for k, v := range c.Header {
		if len(v) == 0 {
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
	h["X-Amzn-Trace-Id"] = []string{newTraceID(r)}
	return h
}

func disconnectHeaders(c *Connection) map[string]string {
	return map[string]string{
		"Host":            c.Host,
		"x-api-key":       c.APIKey,
		"X-Forwarded-For": c.SourceIP,
		"x-restapi":       "",
	}
}

// newTraceID returns the X-Amzn-Trace-Id of a WebSocket event.
func newTraceID(r *wsRequest) string { return traceID(r.time) }

// traceID returns an X-Ray style trace id: Root=1-{8 hex seconds}-{24 hex random}.
func traceID(t time.Time) string {
	var rnd [12]byte
	fillRandom(rnd[:])
	b := make([]byte, 0, 40)
	b = append(b, "Root=1-"...)
	b = strconv.AppendUint(b, uint64(t.Unix()), 16)
	b = append(b, '-')
	b = append(b, hex.EncodeToString(rnd[:])...)
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
