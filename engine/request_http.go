package engine

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/portico-gateway/portico/engine/events"

	"github.com/portico-gateway/portico/routeselect"
)

// httpRequest is one HTTP API or REST API request on its way through the engine. It implements
// mapping.Vars so request templates read it without copying.
type httpRequest struct {
	engine *Engine
	api    *API
	stage  *Stage
	r      *http.Request
	body   []byte
	// requestID is the id in the response header, the event and the access log.
	requestID string
	// extendedRequestID is $context.extendedRequestId when it differs from requestID (REST).
	extendedRequestID string
	time              time.Time
	// path is the request path after the stage prefix; rawPath the escaped path as received.
	path    string
	rawPath string
	// routeKey (HTTP APIs) or resource and method key (REST APIs) of the matched route.
	routeKey string
	route    *HTTPRoute
	query    url.Values // parsed on first use; see queryValues
	params   []routeselect.Param
	sourceIP string
}

func newHTTPRequest(e *Engine, api *API, st *Stage, r *http.Request, path string, now time.Time) *httpRequest {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	return &httpRequest{engine: e, api: api, stage: st, r: r, requestID: NewRequestID(), time: now, path: path,
		rawPath: r.URL.EscapedPath(), sourceIP: ip}
}

// queryValues returns the request's query string, parsed once.
func (q *httpRequest) queryValues() url.Values {
	if q.query == nil {
		q.query = q.r.URL.Query()
	}
	return q.query
}

// pathParameter returns a path parameter's value.
func (q *httpRequest) pathParameter(name string) (string, bool) {
	for _, p := range q.params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// event describes the request for its Lambda proxy event.
func (q *httpRequest) event() *events.HTTP {
	ev := &events.HTTP{Request: q.r, Body: q.body, RequestID: q.requestID, Time: q.time, Path: q.path, RawPath: q.rawPath,
		RouteKey: q.routeKey, PathParameters: q.params, Query: q.queryValues(), SourceIP: q.sourceIP, APIID: q.api.ID,
		Stage: q.stage.Name, StageVariables: q.stage.Variables, ExtendedRequestID: q.extendedRequestID}
	if q.route != nil {
		ev.Resource, ev.HasRoute = q.route.Path, true
	}
	return ev
}

// Body implements mapping.Vars.
func (q *httpRequest) Body() []byte { return q.body }

// Context implements mapping.Vars: the $context variables of HTTP and REST APIs.
func (q *httpRequest) Context(name string) (string, bool) {
	switch name {
	case "requestId":
		return q.requestID, true
	case "extendedRequestId":
		if q.extendedRequestID != "" {
			return q.extendedRequestID, true
		}
		return q.requestID, true
	case "resourceId":
		if q.route != nil && q.api.ProtocolType == "REST" {
			return events.ResourceID(q.route.Path), true
		}
		return "", false
	case "apiId":
		return q.api.ID, true
	case "stage":
		return q.stage.Name, true
	case "httpMethod":
		return q.r.Method, true
	case "path":
		return q.rawPath, true
	case "resourcePath":
		if q.route != nil {
			return q.route.Path, true
		}
		return "", false
	case "routeKey":
		return q.routeKey, true
	case "domainName":
		return q.r.Host, true
	case "domainPrefix":
		return events.DomainPrefix(q.r.Host), true
	case "protocol":
		return q.r.Proto, true
	case "requestTime":
		return events.FormatRequestTime(q.time), true
	case "requestTimeEpoch":
		return strconv.FormatInt(q.time.UnixMilli(), 10), true
	case "identity.sourceIp":
		return q.sourceIP, true
	case "identity.userAgent":
		return q.r.UserAgent(), true
	case "accountId":
		return events.AccountID, true
	}
	return "", false
}

// StageVariable implements mapping.Vars.
func (q *httpRequest) StageVariable(name string) (string, bool) {
	v, ok := q.stage.Variables[name]
	return v, ok
}

// Param implements mapping.Vars: $input.params('x') looks at the path, then the query string, then headers.
func (q *httpRequest) Param(name string) (string, bool) {
	if v, ok := q.pathParameter(name); ok {
		return v, true
	}
	if vs, ok := q.queryValues()[name]; ok && len(vs) > 0 {
		return vs[len(vs)-1], true
	}
	if v := q.r.Header.Get(name); v != "" {
		return v, true
	}
	return "", false
}
