package engine

import (
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
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
	metrics  *routeMetrics // of the matched route; nil until a route matched
	query    url.Values    // parsed on first use; see queryValues
	params   []routeselect.Param
	sourceIP string
	// Sorted names for templates that walk $input.params() and $stageVariables, made on first use.
	queryNames, headerNames, stageNames []string
	// overrides are what mapping templates assigned to $context.requestOverride.* and
	// $context.responseOverride.*, by name ("responseOverride.status").
	overrides map[string][]string
	// validationError is $context.error.validationErrorString after a failed body validation.
	validationError string
	// jwtClaims and jwtScopes are what a JWT authorizer let through (authorized).
	jwtClaims  map[string]string
	jwtScopes  []string
	authorized bool
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
		Stage: q.stage.Name, StageVariables: q.stage.Variables, ExtendedRequestID: q.extendedRequestID,
		JWT: q.authorized, JWTClaims: q.jwtClaims, JWTScopes: q.jwtScopes}
	if q.route != nil {
		ev.Resource, ev.HasRoute = q.route.Path, true
	}
	return ev
}

// Body implements mapping.Vars.
func (q *httpRequest) Body() []byte { return q.body }

// Context implements mapping.Vars: the $context variables of HTTP and REST APIs.
func (q *httpRequest) Context(name string) (string, bool) {
	if claim, ok := strings.CutPrefix(name, "authorizer.claims."); ok {
		v, found := q.jwtClaims[claim]
		return v, found
	}
	switch name {
	case "requestId":
		return q.requestID, true
	case "extendedRequestId":
		if q.extendedRequestID != "" {
			return q.extendedRequestID, true
		}
		return q.requestID, true
	case "authorizer.principalId":
		if q.authorized {
			return q.jwtClaims["sub"], true
		}
		return "", false
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

// ParamAt implements mapping.ParamLister: path parameters in route order, query string and header
// values (the last of each) by sorted name.
func (q *httpRequest) ParamAt(location string, i int) (string, string, bool) {
	switch location {
	case "path":
		if i < len(q.params) {
			return q.params[i].Name, q.params[i].Value, true
		}
	case "querystring":
		if q.queryNames == nil {
			q.queryNames = sortedNames(q.queryValues())
		}
		if i < len(q.queryNames) {
			vs := q.queryValues()[q.queryNames[i]]
			return q.queryNames[i], vs[len(vs)-1], true
		}
	case "header":
		if q.headerNames == nil {
			q.headerNames = sortedNames(q.r.Header)
		}
		if i < len(q.headerNames) {
			return q.headerNames[i], q.r.Header.Get(q.headerNames[i]), true
		}
	}
	return "", "", false
}

// StageVariableAt implements mapping.StageVariableLister.
func (q *httpRequest) StageVariableAt(i int) (string, string, bool) {
	if q.stageNames == nil {
		q.stageNames = sortedNames(q.stage.Variables)
	}
	if i < len(q.stageNames) {
		return q.stageNames[i], q.stage.Variables[q.stageNames[i]], true
	}
	return "", "", false
}

// SetOverride implements mapping.Overrides.
func (q *httpRequest) SetOverride(name string, values []string) error {
	if q.overrides == nil {
		q.overrides = map[string][]string{}
	}
	q.overrides[name] = append([]string(nil), values...)
	return nil
}

// sortedNames returns m's keys sorted, never nil.
func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Header implements routeselect.Source.
func (q *httpRequest) Header(name string) (string, bool) {
	v := q.r.Header.Values(name)
	if len(v) == 0 {
		return "", false
	}
	return strings.Join(v, ","), true
}

// QueryString implements routeselect.Source.
func (q *httpRequest) QueryString(name string) (string, bool) {
	v, ok := q.queryValues()[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return strings.Join(v, ","), true
}

// PathParameter implements routeselect.Source.
func (q *httpRequest) PathParameter(name string) (string, bool) { return q.pathParameter(name) }

// Method implements routeselect.Source.
func (q *httpRequest) Method() string { return q.r.Method }

// Path implements routeselect.Source.
func (q *httpRequest) Path() string { return q.path }
