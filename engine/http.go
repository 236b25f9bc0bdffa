package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/portico-gateway/portico/engine/events"
	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/engine/mapping"
)

// MaxHTTPBody is API Gateway's payload limit for HTTP and REST APIs.
const MaxHTTPBody = integration.MaxBody

// HTTPRoute is a compiled route of an HTTP API, or a method of a REST API resource.
type HTTPRoute struct {
	// Key is the route key ("GET /pets/{id}", "$default") or, for REST, "METHOD /resource".
	Key string
	// Path is the path template ("/pets/{id}"); for $default, empty.
	Path   string
	target *target
	// rest holds what REST methods add: required parameters, templates, integration responses.
	rest *restMethod
	// mockTemplates are an HTTP API MOCK's answer templates.
	mockTemplates *mapping.Templates
	// mappings are an HTTP API route's parameter mappings (HTTP_PROXY).
	mappings *parameterMappings
	// jwt is an HTTP API route's JWT authorizer, and scopes the route's authorizationScopes.
	jwt    *jwtAuthorizer
	scopes []string
}

// rejection is an answer the gateway gives on its own, before or instead of an integration; each
// HTTP-kind adapter spells it in its dialect.
type rejection uint8

const (
	rejectNotFound rejection = iota
	rejectTooLarge
	rejectBadRequest
	rejectUnsupportedMedia
	rejectMissingParameters
	rejectThrottled
	rejectInvalidBody
	rejectUnauthorized
	rejectForbidden
)

// httpDialect is how an HTTP or REST API answers what the gateway says itself: rejections, and
// integration failures by their Kind.
type httpDialect interface {
	reject(w http.ResponseWriter, q *httpRequest, why rejection, detail string)
	failed(w http.ResponseWriter, q *httpRequest, err error)
	// binaryBody reports whether the request's body goes to a function base64-encoded.
	binaryBody(q *httpRequest) bool
	// finishResponse applies the API kind's rules to a function's response (base64 bodies, default
	// headers).
	finishResponse(q *httpRequest, lr *lambdaResponse) error
}

// httpServing is an adapter that serves plain HTTP requests.
type httpServing interface {
	serve(e *Engine, w http.ResponseWriter, r *http.Request, api *API)
}

// ServeHTTP answers a request to an HTTP or REST API: it picks the API by Host and hands the request
// to the API's adapter, which picks the stage by the path and the route by method and path and runs
// the route's integration. Every answer carries the request id (apigw-requestid for HTTP APIs,
// x-amzn-RequestId for REST APIs) that the event and the access log carry too.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !normalizePath(r) {
		writeJSONError(w, http.StatusBadRequest, `{"message":"Bad Request"}`)
		return
	}
	d := e.Deployment()
	api := d.apiForHost(r.Host)
	if api == nil {
		writeJSONError(w, http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	s, ok := api.adapter.(httpServing)
	if !ok {
		// A WebSocket API answers plain requests as API Gateway does: not found.
		writeJSONError(w, http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	s.serve(e, w, r, api)
}

// normalizePath resolves the dot segments of r's path (RFC 3986 §5.2.4, "." and ".." also when
// percent-encoded as %2e) before routing, so that no request escapes an integration's path prefix
// through a greedy path parameter: GET /pub/a/../../secret is routed, and proxied, as GET /secret.
// A segment that hides a dot segment behind an encoded separator ("..%2f", "%2e%2e%5c") cannot be
// resolved the way every backend would resolve it, so the request is refused (false).
func normalizePath(r *http.Request) bool {
	escaped := r.URL.EscapedPath()
	if !strings.Contains(escaped, ".") && !strings.Contains(escaped, "%2") && !strings.Contains(escaped, "%2E") {
		return true
	}
	segs := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	out := make([]string, 0, len(segs))
	changed, trailing := false, false
	for i, seg := range segs {
		last := i == len(segs)-1
		switch dotSegment(seg) {
		case ".":
			changed, trailing = true, last
			continue
		case "..":
			changed, trailing = true, last
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			continue
		}
		trailing = false
		if dec, err := url.PathUnescape(seg); err == nil && strings.ContainsAny(dec, `/\`) {
			for _, part := range strings.FieldsFunc(dec, func(c rune) bool { return c == '/' || c == '\\' }) {
				if part == ".." || part == "." {
					return false
				}
			}
		}
		out = append(out, seg)
	}
	if !changed {
		return true
	}
	clean := "/" + strings.Join(out, "/")
	if trailing && clean != "/" {
		clean += "/"
	}
	u, err := url.Parse(clean)
	if err != nil {
		return false
	}
	r.URL.Path, r.URL.RawPath = u.Path, u.RawPath
	return true
}

// dotSegment returns "." or ".." when seg is one, percent-encoded or not; else "".
func dotSegment(seg string) string {
	if len(seg) > 6 {
		return ""
	}
	s := strings.ReplaceAll(strings.ReplaceAll(seg, "%2e", "."), "%2E", ".")
	if s == "." || s == ".." {
		return s
	}
	return ""
}

// invokeHTTP reads the body (unless the integration streams it) and runs the route's integration
// within its timeout through run, which writes the answer.
func (e *Engine) invokeHTTP(w http.ResponseWriter, q *httpRequest, route *HTTPRoute, d httpDialect,
	run func(ctx context.Context, w http.ResponseWriter, q *httpRequest)) {
	if q.r.ContentLength > MaxHTTPBody {
		d.reject(w, q, rejectTooLarge, "")
		return
	}
	if !route.target.streams {
		body, err := io.ReadAll(http.MaxBytesReader(w, q.r.Body, MaxHTTPBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				d.reject(w, q, rejectTooLarge, "")
				return
			}
			d.reject(w, q, rejectBadRequest, "")
			return
		}
		q.body = body
	}
	if !route.target.inline {
		if !e.acquire(nil) {
			d.reject(w, q, rejectThrottled, "")
			return
		}
		defer e.release(nil)
	}
	ctx, cancel := context.WithTimeout(q.r.Context(), route.target.timeout)
	defer cancel()
	run(ctx, w, q)
}

// eventEncoder appends a request's Lambda proxy event in one payload format.
type eventEncoder func(dst []byte, ev *events.HTTP) []byte

var (
	encodeV2     eventEncoder = events.AppendV2
	encodeV1REST eventEncoder = func(dst []byte, ev *events.HTTP) []byte { return events.AppendV1(dst, ev, false) }
	encodeV1HTTP eventEncoder = func(dst []byte, ev *events.HTTP) []byte { return events.AppendV1(dst, ev, true) }
)

// invokeFunction sends the request's Lambda proxy event, written by encode, to a function-style
// integration and writes its Lambda proxy response, read in format.
func (e *Engine) invokeFunction(ctx context.Context, w http.ResponseWriter, q *httpRequest, t *target, d httpDialect,
	encode eventEncoder, format responseFormat) {
	ev := q.event()
	ev.BodyBase64 = d.binaryBody(q)
	buf := encode(make([]byte, 0, 1024+len(q.body)*4/3), ev)
	resp, err := e.call(ctx, q.metrics, t, &integration.Request{Body: buf})
	if err != nil {
		d.failed(w, q, err)
		return
	}
	lr, err := parseLambdaResponse(resp.Body, format, t.uri)
	if err == nil {
		err = d.finishResponse(q, lr)
	}
	if err != nil {
		d.failed(w, q, err)
		return
	}
	lr.write(w)
}

var proxyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// proxy is HTTP_PROXY for HTTP and REST APIs: a streaming reverse proxy. The request body and the
// response body stream through without being held; backend connections are pooled by the shared
// transport. Path parameters ({id}, {proxy}) and ${stageVariables.x} are substituted into the
// integration URI; the request's query string is passed on.
func (e *Engine) proxy(ctx context.Context, w http.ResponseWriter, q *httpRequest, t *target, d httpDialect) {
	var pm *parameterMappings
	if q.route != nil {
		pm = q.route.mappings
	}
	target, err := url.Parse(substituteURI(t.uri, q))
	if err != nil {
		d.failed(w, q, &integration.Error{Kind: integration.Invalid, Backend: t.uri, Err: err})
		return
	}
	if q.r.URL.RawQuery != "" {
		if target.RawQuery != "" {
			target.RawQuery += "&" + q.r.URL.RawQuery
		} else {
			target.RawQuery = q.r.URL.RawQuery
		}
	}
	req := &integration.Request{Method: requestMethod(t.method, q.r), URL: target.String(), Header: http.Header{},
		ContentLength: q.r.ContentLength}
	if q.r.ContentLength != 0 && q.r.Body != nil && q.r.Body != http.NoBody {
		req.Stream = http.MaxBytesReader(w, q.r.Body, MaxHTTPBody)
	} else {
		req.ContentLength = 0
	}
	integration.CopyHeaders(req.Header, q.r.Header)
	if prior := q.r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		req.Header.Set("X-Forwarded-For", strings.Join(prior, ", ")+", "+q.sourceIP)
	} else {
		req.Header.Set("X-Forwarded-For", q.sourceIP)
	}
	if q.r.TLS != nil {
		req.Header.Set("X-Forwarded-Proto", "https")
	} else {
		req.Header.Set("X-Forwarded-Proto", "http")
	}
	if pm != nil {
		pm.applyRequest(target, req.Header, q)
		req.URL = target.String()
	}
	resp, err := e.call(ctx, q.metrics, t, req)
	if err != nil {
		d.failed(w, q, err)
		return
	}
	defer resp.Stream.Close()
	integration.CopyHeaders(w.Header(), resp.Header)
	status := resp.StatusCode
	if set, readsBody := pm.responseMappings(status); len(set) > 0 {
		src := &responseSource{httpRequest: q, header: resp.Header}
		if readsBody {
			body, err := readLimited(resp.Stream)
			if err != nil {
				kind := integration.Failed
				if errors.Is(err, errBodyTooLarge) {
					kind = integration.BadResponse
				}
				d.failed(w, q, &integration.Error{Kind: kind, Backend: t.uri, Err: err})
				return
			}
			src.body = body
			resp.Stream = io.NopCloser(bytes.NewReader(body))
		}
		status = applyResponse(set, status, w.Header(), src)
	}
	w.WriteHeader(status)
	bp := proxyBufPool.Get().(*[]byte)
	_, err = io.CopyBuffer(w, resp.Stream, *bp)
	proxyBufPool.Put(bp)
	if err != nil {
		// The status is out; all that is left is to cut the response short.
		panic(http.ErrAbortHandler)
	}
}

// substituteStageVariables replaces each ${stageVariables.x} in uri with the stage's value (empty
// when the stage has none).
func substituteStageVariables(uri string, vars map[string]string) string {
	const ref = "${stageVariables."
	if !strings.Contains(uri, ref) {
		return uri
	}
	var b strings.Builder
	for {
		i := strings.Index(uri, ref)
		if i < 0 {
			break
		}
		end := strings.IndexByte(uri[i:], '}')
		if end < 0 {
			break
		}
		b.WriteString(uri[:i])
		b.WriteString(vars[uri[i+len(ref):i+end]])
		uri = uri[i+end+1:]
	}
	b.WriteString(uri)
	return b.String()
}

// requestMethod is the integration method, or the request's for "" and ANY.
func requestMethod(method string, r *http.Request) string {
	if method == "" || method == "ANY" {
		return r.Method
	}
	return method
}

// substituteURI replaces {name} and {name+} with the request's path parameters (escaped as path
// segments; a greedy value keeps its slashes) and ${stageVariables.x} with stage variables.
func substituteURI(uri string, q *httpRequest) string {
	if !strings.ContainsAny(uri, "{$") {
		return uri
	}
	var b strings.Builder
	for i := 0; i < len(uri); {
		switch {
		case strings.HasPrefix(uri[i:], "${stageVariables."):
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				return b.String()
			}
			name := uri[i+len("${stageVariables.") : i+end]
			v, _ := q.StageVariable(name)
			b.WriteString(v)
			i += end + 1
		case uri[i] == '{':
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				return b.String()
			}
			name := uri[i+1 : i+end]
			greedy := strings.HasSuffix(name, "+")
			name = strings.TrimSuffix(name, "+")
			v, ok := q.pathParameter(name)
			if !ok {
				b.WriteString(uri[i : i+end+1])
			} else if raw, ok := rawGreedyValue(q); ok && (greedy || name == "proxy") {
				b.WriteString(raw)
			} else if greedy || name == "proxy" {
				b.WriteString(escapePathKeepSlash(v))
			} else {
				b.WriteString(url.PathEscape(v))
			}
			i += end + 1
		default:
			b.WriteByte(uri[i])
			i++
		}
	}
	return b.String()
}

// rawGreedyValue is the greedy path parameter's value as the client escaped it, so that an encoded
// slash (%2F) reaches the backend as sent.
func rawGreedyValue(q *httpRequest) (string, bool) {
	if q.route == nil {
		return "", false
	}
	tmpl := strings.TrimPrefix(q.route.Path, "/")
	segs := strings.Split(tmpl, "/")
	last := segs[len(segs)-1]
	if !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "+}") {
		return "", false
	}
	k := len(segs) - 1
	parts := strings.SplitN(strings.TrimPrefix(q.path, "/"), "/", k+1)
	if len(parts) != k+1 {
		return "", false
	}
	return parts[k], true
}

func escapePathKeepSlash(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// statusWriter remembers the status written, for the access log and the client error count.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (flushing streamed bodies).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// writeJSONError writes a gateway-generated JSON answer.
func writeJSONError(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
