package engine

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// MaxHTTPBody is API Gateway's payload limit for HTTP and REST APIs.
const MaxHTTPBody = 10 << 20

// HTTPRoute is a compiled route of an HTTP API, or a method of a REST API resource.
type HTTPRoute struct {
	// Key is the route key ("GET /pets/{id}", "$default") or, for REST, "METHOD /resource".
	Key string
	// Path is the path template ("/pets/{id}"); for $default, empty.
	Path    string
	Timeout time.Duration
	// integration answers the request, writing the response itself.
	integration httpServer
	// rest holds what REST methods add: required parameters, templates, integration responses.
	rest *restMethod
}

// httpServer is an integration of an HTTP or REST API: it answers one request.
type httpServer interface {
	serve(ctx context.Context, w http.ResponseWriter, q *httpRequest)
}

// ServeHTTP answers a request to an HTTP or REST API: it picks the API by Host, the stage by the
// path, the route by method and path, and runs the route's integration. Every answer carries the
// request id (apigw-requestid for HTTP APIs, x-amzn-RequestId for REST APIs) that the event and the
// access log carry too.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d := e.Deployment()
	api := d.apiForHost(r.Host)
	if api == nil {
		writeJSONError(w, http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	switch api.ProtocolType {
	case "HTTP":
		e.serveHTTPAPI(w, r, api)
	case "REST":
		e.serveREST(w, r, api)
	default:
		// A WebSocket API answers plain requests as API Gateway does: not found.
		writeJSONError(w, http.StatusNotFound, `{"message":"Not Found"}`)
	}
}

// splitStage finds the stage a path addresses: a named stage by the first segment, else the
// $default stage with the whole path.
func splitStage(api *API, escapedPath string) (*Stage, string, bool) {
	rest := strings.TrimPrefix(escapedPath, "/")
	first, tail, _ := strings.Cut(rest, "/")
	if st, ok := api.Stages[first]; ok && first != "$default" && first != "" {
		return st, "/" + tail, true
	}
	if st, ok := api.Stages["$default"]; ok {
		return st, escapedPath, true
	}
	return nil, "", false
}

func (e *Engine) serveHTTPAPI(w http.ResponseWriter, r *http.Request, api *API) {
	st, path, ok := splitStage(api, r.URL.EscapedPath())
	q := newHTTPRequest(e, api, st, r, path, e.now())
	w.Header().Set("Apigw-Requestid", q.requestID)
	e.metrics.message()
	if !ok {
		e.httpError(w, q, errNotFound)
		return
	}
	if api.cors != nil {
		if api.cors.preflight(w, r) {
			e.access(q, http.StatusNoContent)
			return
		}
		w = api.cors.wrap(w, r)
	}
	key, params, found := api.httpRouter.Match(r.Method, path, q.params[:0])
	if !found {
		e.httpError(w, q, errNotFound)
		return
	}
	q.routeKey, q.params = key, params
	route := api.httpRoutes[key]
	q.route = route
	e.invokeHTTP(w, q, route)
}

// invokeHTTP reads the body (unless the integration streams it) and runs the route's integration
// within its timeout.
func (e *Engine) invokeHTTP(w http.ResponseWriter, q *httpRequest, route *HTTPRoute) {
	if q.r.ContentLength > MaxHTTPBody {
		e.httpError(w, q, errTooLarge)
		return
	}
	if _, streams := route.integration.(streamer); !streams {
		body, err := io.ReadAll(http.MaxBytesReader(w, q.r.Body, MaxHTTPBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				e.httpError(w, q, errTooLarge)
				return
			}
			e.httpError(w, q, errBadRequest)
			return
		}
		q.body = body
	}
	ctx, cancel := context.WithTimeout(q.r.Context(), route.Timeout)
	defer cancel()
	rw := &statusWriter{ResponseWriter: w}
	start := time.Now()
	route.integration.serve(ctx, rw, q)
	e.metrics.integrationLatency(time.Since(start))
	e.access(q, rw.status)
}

// streamer marks integrations that read the request body themselves (HTTP_PROXY streams it).
type streamer interface{ streams() }

// statusWriter remembers the status written, for the access log.
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
