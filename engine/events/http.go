package events

import (
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/portico-gateway/portico/routeselect"
)

// AccountID is the account id events carry; Portico has no accounts.
const AccountID = "000000000000"

// HTTP is one HTTP API or REST API request as its events describe it.
type HTTP struct {
	Request *http.Request
	Body    []byte
	// RequestID is the id in the response header, the event and the access log.
	RequestID string
	Time      time.Time
	// Path is the request path after the stage prefix; RawPath the escaped path as received.
	Path    string
	RawPath string
	// RouteKey is the matched route key (HTTP APIs) or "METHOD /resource" (REST).
	RouteKey string
	// Resource is the matched route's path template ("/pets/{id}"); empty without one.
	Resource       string
	HasRoute       bool
	PathParameters []routeselect.Param
	// Query is the request's parsed query string.
	Query          url.Values
	SourceIP       string
	APIID          string
	Stage          string
	StageVariables map[string]string
	// TraceID is the X-Amzn-Trace-Id added when the client sent none; empty: a new one.
	TraceID string
	// ExtendedRequestID is extendedRequestId; empty: RequestID. (REST APIs: the X-Amz-Apigw-Id,
	// while RequestID is the x-amzn-RequestId UUID.)
	ExtendedRequestID string
	// JWT says a JWT authorizer let the request through with JWTClaims (values as strings) and
	// JWTScopes (nil when the route needs none).
	JWT       bool
	JWTClaims map[string]string
	JWTScopes []string
	// BodyBase64 sends the body base64-encoded (isBase64Encoded), as the API kind's rule for the
	// request's media type says.
	BodyBase64 bool
}

func (q *HTTP) extendedRequestID() string {
	if q.ExtendedRequestID != "" {
		return q.ExtendedRequestID
	}
	return q.RequestID
}

func appendBody(dst []byte, q *HTTP, nullWhenEmpty bool) []byte {
	binary := q.BodyBase64 && len(q.Body) > 0
	switch {
	case len(q.Body) == 0 && nullWhenEmpty:
		dst = append(dst, `"body":null`...)
	case binary:
		dst = appendKey(dst, "body")
		dst = AppendJSONString(dst, base64.StdEncoding.EncodeToString(q.Body))
	default:
		dst = appendKey(dst, "body")
		dst = appendJSONBytes(dst, q.Body)
	}
	if binary {
		return append(dst, `,"isBase64Encoded":true}`...)
	}
	return append(dst, `,"isBase64Encoded":false}`...)
}

// forwardedHeaders are the headers API Gateway adds to what integrations see.
func forwardedHeaders(q *HTTP) map[string][]string {
	h := make(map[string][]string, len(q.Request.Header)+5)
	for k, v := range q.Request.Header {
		h[k] = v
	}
	h["Host"] = []string{q.Request.Host}
	xff := q.SourceIP
	if prior := q.Request.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + q.SourceIP
	}
	h["X-Forwarded-For"] = []string{xff}
	proto, port := "http", "80"
	if q.Request.TLS != nil {
		proto, port = "https", "443"
	}
	if la := localPort(q.Request); la != "" {
		port = la
	}
	h["X-Forwarded-Port"] = []string{port}
	h["X-Forwarded-Proto"] = []string{proto}
	if _, ok := h["X-Amzn-Trace-Id"]; !ok {
		h["X-Amzn-Trace-Id"] = []string{orTraceID(q.TraceID, q.Time)}
	}
	return h
}

// AppendV2 appends the payload format 2.0 event of an HTTP API request
// (events.APIGatewayV2HTTPRequest): lower-case header names, repeated values joined with commas,
// cookies apart, empty maps and bodies omitted.
func AppendV2(dst []byte, q *HTTP) []byte {
	h := forwardedHeaders(q)
	cookies := q.Request.Header.Values("Cookie")
	delete(h, "Cookie")
	lower := make(map[string]string, len(h))
	for k, v := range h {
		lk := strings.ToLower(k)
		if prev, ok := lower[lk]; ok {
			lower[lk] = prev + "," + strings.Join(v, ",")
		} else {
			lower[lk] = strings.Join(v, ",")
		}
	}
	dst = append(dst, `{"version":"2.0",`...)
	dst = appendStringField(dst, "routeKey", q.RouteKey)
	dst = append(dst, ',')
	dst = appendStringField(dst, "rawPath", q.RawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "rawQueryString", q.Request.URL.RawQuery)
	if len(cookies) > 0 {
		dst = append(dst, `,"cookies":[`...)
		n := 0
		for _, line := range cookies {
			for _, c := range strings.Split(line, ";") {
				c = strings.TrimSpace(c)
				if c == "" {
					continue
				}
				if n > 0 {
					dst = append(dst, ',')
				}
				dst = AppendJSONString(dst, c)
				n++
			}
		}
		dst = append(dst, ']')
	}
	dst = append(dst, ',')
	dst = appendKey(dst, "headers")
	dst = appendStringMap(dst, sortedKeys(lower), func(k string) string { return lower[k] })
	if q.Request.URL.RawQuery != "" {
		qs := q.Query
		if len(qs) > 0 {
			dst = append(dst, ',')
			dst = appendKey(dst, "queryStringParameters")
			dst = appendStringMap(dst, sortedKeys(qs), func(k string) string { return strings.Join(qs[k], ",") })
		}
	}
	if len(q.PathParameters) > 0 {
		dst = appendPathParameters(dst, q)
	}
	dst = append(dst, `,"requestContext":{`...)
	dst = appendAPIContext(dst, q, true)
	dst = append(dst, `,"http":{`...)
	dst = appendStringField(dst, "method", q.Request.Method)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.RawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "protocol", q.Request.Proto)
	dst = append(dst, ',')
	dst = appendStringField(dst, "sourceIp", q.SourceIP)
	dst = append(dst, ',')
	dst = appendStringField(dst, "userAgent", q.Request.UserAgent())
	dst = append(dst, "},"...)
	dst = appendStringField(dst, "requestId", q.RequestID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "routeKey", q.RouteKey)
	dst = append(dst, ',')
	dst = appendStringField(dst, "stage", q.Stage)
	dst = append(dst, `,"time":"`...)
	dst = appendRequestTime(dst, q.Time)
	dst = append(dst, `",`...)
	dst = appendIntField(dst, "timeEpoch", q.Time.UnixMilli())
	dst = append(dst, '}')
	if len(q.StageVariables) > 0 {
		dst = appendStageVariables(dst, q.StageVariables)
	}
	dst = append(dst, ',')
	if len(q.Body) == 0 {
		return append(dst, `"isBase64Encoded":false}`...)
	}
	return appendBody(dst, q, false)
}

// AppendV1 appends the payload format 1.0 event (events.APIGatewayProxyRequest), as REST
// APIs send it and HTTP APIs with payloadFormatVersion 1.0 (which add "version":"1.0"): header keys as
// received, single-value maps holding the last value, absent maps null.
func AppendV1(dst []byte, q *HTTP, httpAPI bool) []byte {
	dst = append(dst, '{')
	if httpAPI {
		dst = append(dst, `"version":"1.0",`...)
	}
	resource := q.RouteKey
	resourcePath := q.RouteKey
	if q.HasRoute {
		resource, resourcePath = q.Resource, q.Resource
	}
	dst = appendStringField(dst, "resource", resource)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.Path)
	dst = append(dst, ',')
	dst = appendStringField(dst, "httpMethod", q.Request.Method)
	h := forwardedHeaders(q)
	if httpAPI {
		// HTTP APIs lower-case header names in both payload formats.
		lower := make(map[string][]string, len(h))
		for k, v := range h {
			lk := strings.ToLower(k)
			lower[lk] = append(lower[lk], v...)
		}
		h = lower
	}
	keys := sortedKeys(h)
	dst = append(dst, ',')
	dst = appendKey(dst, "headers")
	dst = appendStringMap(dst, keys, func(k string) string { v := h[k]; return v[len(v)-1] })
	dst = append(dst, ',')
	dst = appendKey(dst, "multiValueHeaders")
	dst = appendMultiMap(dst, keys, func(k string) []string { return h[k] })
	qs := q.Query
	if len(qs) > 0 {
		qk := sortedKeys(qs)
		dst = append(dst, ',')
		dst = appendKey(dst, "queryStringParameters")
		dst = appendStringMap(dst, qk, func(k string) string { v := qs[k]; return v[len(v)-1] })
		dst = append(dst, ',')
		dst = appendKey(dst, "multiValueQueryStringParameters")
		dst = appendMultiMap(dst, qk, func(k string) []string { return qs[k] })
	} else {
		dst = append(dst, `,"queryStringParameters":null,"multiValueQueryStringParameters":null`...)
	}
	if len(q.PathParameters) > 0 {
		dst = appendPathParameters(dst, q)
	} else {
		dst = append(dst, `,"pathParameters":null`...)
	}
	if len(q.StageVariables) > 0 {
		dst = appendStageVariables(dst, q.StageVariables)
	} else {
		dst = append(dst, `,"stageVariables":null`...)
	}
	dst = append(dst, `,"requestContext":{`...)
	dst = appendStringField(dst, "accountId", AccountID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "apiId", q.APIID)
	if httpAPI && q.JWT {
		dst = append(dst, `,"authorizer":`...)
		dst = appendJWT(dst, q)
	} else if httpAPI {
		dst = append(dst, `,"authorizer":{"claims":null,"scopes":null}`...)
	}
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainName", q.Request.Host)
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainPrefix", DomainPrefix(q.Request.Host))
	dst = append(dst, ',')
	dst = appendStringField(dst, "extendedRequestId", q.extendedRequestID())
	dst = append(dst, ',')
	dst = appendStringField(dst, "httpMethod", q.Request.Method)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.RawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "protocol", q.Request.Proto)
	dst = append(dst, ',')
	dst = appendStringField(dst, "requestId", q.RequestID)
	dst = append(dst, `,"requestTime":"`...)
	dst = appendRequestTime(dst, q.Time)
	dst = append(dst, `",`...)
	dst = appendIntField(dst, "requestTimeEpoch", q.Time.UnixMilli())
	if httpAPI {
		dst = append(dst, `,"resourceId":null`...)
	} else {
		dst = append(dst, ',')
		dst = appendStringField(dst, "resourceId", ResourceID(resourcePath))
	}
	dst = append(dst, ',')
	dst = appendStringField(dst, "resourcePath", resourcePath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "stage", q.Stage)
	if httpAPI {
		dst = append(dst, `,"identity":{"accessKey":null,"accountId":null,"caller":null,"cognitoAuthenticationProvider":null,`+
			`"cognitoAuthenticationType":null,"cognitoIdentityId":null,"cognitoIdentityPoolId":null,"principalOrgId":null,`...)
		dst = appendStringField(dst, "sourceIp", q.SourceIP)
		dst = append(dst, `,"user":null,`...)
		dst = appendStringField(dst, "userAgent", q.Request.UserAgent())
		dst = append(dst, `,"userArn":null}},`...)
	} else {
		dst = append(dst, `,"identity":{"cognitoIdentityPoolId":null,"accountId":null,"cognitoIdentityId":null,"caller":null,`+
			`"apiKey":null,"apiKeyId":null,"accessKey":null,`...)
		dst = appendStringField(dst, "sourceIp", q.SourceIP)
		dst = append(dst, `,"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,`...)
		dst = appendStringField(dst, "userAgent", q.Request.UserAgent())
		dst = append(dst, `,"user":null}},`...)
	}
	return appendBody(dst, q, true)
}

// ResourceID is a stable 6-character id of a resource path, as REST APIs give each resource.
func ResourceID(path string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(path); i++ {
		h = (h ^ uint32(path[i])) * 16777619
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[h%36]
		h /= 36
	}
	return string(b)
}

func appendPathParameters(dst []byte, q *HTTP) []byte {
	dst = append(dst, `,"pathParameters":{`...)
	for i, p := range q.PathParameters {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendStringField(dst, p.Name, p.Value)
	}
	return append(dst, '}')
}

func appendStageVariables(dst []byte, vars map[string]string) []byte {
	dst = append(dst, ',')
	dst = appendKey(dst, "stageVariables")
	return appendStringMap(dst, sortedKeys(vars), func(k string) string { return vars[k] })
}

// appendAPIContext appends the requestContext fields both payload formats open with.
func appendAPIContext(dst []byte, q *HTTP, v2 bool) []byte {
	dst = appendStringField(dst, "accountId", AccountID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "apiId", q.APIID)
	if v2 && q.JWT {
		dst = append(dst, `,"authorizer":{"jwt":`...)
		dst = appendJWT(dst, q)
		dst = append(dst, '}')
	}
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainName", q.Request.Host)
	dst = append(dst, ',')
	return appendStringField(dst, "domainPrefix", DomainPrefix(q.Request.Host))
}

// DomainPrefix is the first label of host, without its port.
func DomainPrefix(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if i := strings.IndexByte(host, '.'); i >= 0 {
		return host[:i]
	}
	return host
}

// localPort is the port of the listener a request came in on.
func localPort(r *http.Request) string {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return ""
	}
	_, port, err := net.SplitHostPort(la.String())
	if err != nil {
		return ""
	}
	return port
}

// appendJWT appends {"claims":{...},"scopes":[...]|null}, what a JWT authorizer passes on.
func appendJWT(dst []byte, q *HTTP) []byte {
	dst = append(dst, `{"claims":`...)
	dst = appendStringMap(dst, sortedKeys(q.JWTClaims), func(k string) string { return q.JWTClaims[k] })
	dst = append(dst, `,"scopes":`...)
	dst = appendScopes(dst, q.JWTScopes)
	return append(dst, '}')
}

func appendScopes(dst []byte, scopes []string) []byte {
	if scopes == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range scopes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, s)
	}
	return append(dst, ']')
}
