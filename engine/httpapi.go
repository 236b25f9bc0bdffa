package engine

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

// httpAPI is the adapter of an HTTP API (apigatewayv2): routes matched by method and path with API
// Gateway's priority, payload format 2.0 or 1.0 events, CORS, and HTTP APIs' error answers.
type httpAPI struct {
	router *routeselect.HTTPRouter
	routes map[string]*HTTPRoute
	cors   *corsPolicy
	// payloadV1 lists routes whose integration takes payload format 1.0.
	payloadV1 map[string]bool
}

func (a *httpAPI) routeKeys() int { return len(a.routes) }

// compileHTTPAPI compiles an HTTP API: its router, routes, CORS policy and stages.
func compileHTTPAPI(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors {
	var errs config.Errors
	a := &httpAPI{routes: make(map[string]*HTTPRoute, len(ac.Routes)), payloadV1: map[string]bool{}}
	authorizers := map[string]*jwtAuthorizer{}
	for i := range ac.Authorizers {
		z := &ac.Authorizers[i]
		j, err := compileJWTAuthorizer(z, deps.Transport)
		if err != nil {
			errs = append(errs, cfg.Errorf(fmt.Sprintf("%s.authorizers[%d].identitySource", path, i), "%v", err))
			continue
		}
		authorizers[z.Name], authorizers[z.ID()] = j, j
	}
	keys := make([]string, 0, len(ac.Routes))
	for j := range ac.Routes {
		rc := &ac.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		_, p, kerr := routeselect.ParseRouteKey(rc.RouteKey)
		if kerr != nil && rc.RouteKey != "$default" {
			errs = append(errs, cfg.Errorf(rpath+".routeKey", "%v", kerr))
			continue
		}
		ic := &rc.Integration
		route := &HTTPRoute{Key: rc.RouteKey, Path: p}
		if rc.AuthorizationType == "JWT" {
			route.jwt, route.scopes = authorizers[rc.AuthorizerID], rc.AuthorizationScopes
			if route.jwt == nil {
				errs = append(errs, cfg.Errorf(rpath+".authorizerId", "no JWT authorizer %q", rc.AuthorizerID))
				continue
			}
		}
		t, err := compileTarget(targetSpec{protocol: config.ProtocolHTTP, typeName: ic.IntegrationType, uri: ic.IntegrationURI,
			method: ic.IntegrationMethod, timeoutMS: ic.TimeoutInMillis, stream: true}, deps)
		if err != nil {
			errs = append(errs, cfg.Errorf(rpath+".integration.integrationType", "%v", err))
			continue
		}
		route.target = t
		if route.mappings, err = compileParameterMappings(ic.RequestParameters, ic.ResponseParameters); err != nil {
			errs = append(errs, cfg.Errorf(rpath+".integration.requestParameters", "%v", err))
			continue
		}
		if t.typ.Payload == integration.PayloadTemplate {
			ts, err := mapping.ParseTemplates(ic.Templates)
			if err != nil {
				errs = append(errs, cfg.Errorf(rpath+".integration.templates", "%v", err))
				continue
			}
			route.mockTemplates = ts
		}
		a.payloadV1[rc.RouteKey] = ic.PayloadFormatVersion == "1.0"
		a.routes[rc.RouteKey] = route
		keys = append(keys, rc.RouteKey)
	}
	router, err := routeselect.NewHTTPRouter(keys)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".routes", "%v", err))
	}
	a.router = router
	if c := ac.CORSConfiguration; c != nil {
		a.cors = newCORSPolicy(c.AllowOrigins, c.AllowMethods, c.AllowHeaders, c.ExposeHeaders, c.MaxAge, c.AllowCredentials)
	}
	api.adapter = a
	stagesOf(api, ac.Stages, false)
	if len(api.Stages) == 0 {
		api.Stages["$default"] = &Stage{API: api, Name: "$default"}
	}
	return errs
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

func (a *httpAPI) serve(e *Engine, w http.ResponseWriter, r *http.Request, api *API) {
	st, path, ok := splitStage(api, r.URL.EscapedPath())
	q := newHTTPRequest(e, api, st, r, path, e.now())
	w.Header().Set("Apigw-Requestid", q.requestID)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { e.answered(q, sw.status) }()
	w = sw
	if !ok {
		a.reject(w, q, rejectNotFound, "")
		return
	}
	if a.cors != nil {
		if a.cors.preflight(w, r) {
			return
		}
		w = a.cors.wrap(w, r)
	}
	key, params, found := a.router.Match(r.Method, path, q.params[:0])
	if !found {
		a.reject(w, q, rejectNotFound, "")
		return
	}
	q.routeKey, q.params = key, params
	route := a.routes[key]
	q.route = route
	q.metrics = e.metrics.route(st, key)
	if route.jwt != nil {
		claims, scopes, err := route.jwt.authorize(r.Context(), q, route.scopes)
		switch {
		case errors.Is(err, errForbidden):
			a.reject(w, q, rejectForbidden, "")
			return
		case err != nil:
			w.Header().Set("Www-Authenticate", `Bearer scope="" error="invalid_token" error_description=`+strconv.Quote(err.Error()))
			a.reject(w, q, rejectUnauthorized, "")
			return
		}
		q.jwtClaims, q.jwtScopes, q.authorized = claims, scopes, true
	}
	t := route.target
	e.invokeHTTP(w, q, route, a, func(ctx context.Context, w http.ResponseWriter, q *httpRequest) {
		switch t.typ.Payload {
		case integration.PayloadTemplate:
			a.mock(ctx, e, w, q, route)
		case integration.PayloadEvent:
			if a.payloadV1[route.Key] {
				e.invokeFunction(ctx, w, q, t, a, encodeV1HTTP, formatV1)
			} else {
				e.invokeFunction(ctx, w, q, t, a, encodeV2, formatV2)
			}
		default:
			e.proxy(ctx, w, q, t, a)
		}
	})
}

// mock answers from the route's $default template: status 200, application/json.
func (a *httpAPI) mock(ctx context.Context, e *Engine, w http.ResponseWriter, q *httpRequest, route *HTTPRoute) {
	var body []byte
	if t, ok := route.mockTemplates.Select("$default"); ok {
		out, err := t.Render(nil, q)
		if err != nil {
			a.failed(w, q, &integration.Error{Kind: integration.Invalid, Backend: "MOCK", Err: err})
			return
		}
		body = out
	}
	resp, err := e.call(ctx, q.metrics, route.target, &integration.Request{Body: body})
	if err != nil {
		a.failed(w, q, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(resp.Body)
}

// httpAnswer is an HTTP API's own answer: a status and its JSON body.
type httpAnswer struct {
	status int
	body   string
}

// httpRejections are HTTP APIs' answers to what the gateway refuses itself.
var httpRejections = map[rejection]httpAnswer{
	rejectNotFound:          {404, `{"message":"Not Found"}`},
	rejectTooLarge:          {413, `{"message":"Request Entity Too Large"}`},
	rejectBadRequest:        {400, `{"message":"Bad Request"}`},
	rejectUnsupportedMedia:  {415, `{"message":"Unsupported Media Type"}`},
	rejectMissingParameters: {400, `{"message":"Bad Request"}`},
	rejectThrottled:         {429, `{"message":"Too Many Requests"}`},
	rejectInvalidBody:       {400, `{"message":"Bad Request"}`},
	rejectUnauthorized:      {401, `{"message":"Unauthorized"}`},
	rejectForbidden:         {403, `{"message":"Forbidden"}`},
}

// httpFailures are HTTP APIs' answers to integration failures, by kind.
var httpFailures = map[integration.Kind]httpAnswer{
	integration.Timeout:      {504, `{"message":"Gateway Timeout"}`},
	integration.Unavailable:  {503, `{"message":"Service Unavailable"}`},
	integration.Refused:      {503, `{"message":"Service Unavailable"}`},
	integration.Failed:       {502, `{"message":"Internal Server Error"}`},
	integration.TooLarge:     {413, `{"message":"Request Entity Too Large"}`},
	integration.BadResponse:  {500, `{"message":"Internal Server Error"}`},
	integration.BackendError: {500, `{"message":"Internal Server Error"}`},
	integration.Invalid:      {500, `{"message":"Internal Server Error"}`},
}

func (a *httpAPI) reject(w http.ResponseWriter, _ *httpRequest, why rejection, _ string) {
	ans := httpRejections[why]
	writeJSONError(w, ans.status, ans.body)
}

func (a *httpAPI) failed(w http.ResponseWriter, q *httpRequest, err error) {
	q.engine.integrationFailed(q, err)
	ans, ok := httpFailures[integration.KindOf(err)]
	if !ok {
		ans = httpFailures[integration.Failed]
	}
	writeJSONError(w, ans.status, ans.body)
}

var (
	_ adapter     = (*httpAPI)(nil)
	_ httpServing = (*httpAPI)(nil)
	_ httpDialect = (*httpAPI)(nil)
)

// binaryBody is HTTP APIs' rule: a body goes base64-encoded unless it is valid UTF-8 of a text
// media type (text/*, JSON, XML, JavaScript and their +json/+xml kin). A body without a
// Content-Type, or form-encoded, is base64.
func (a *httpAPI) binaryBody(q *httpRequest) bool {
	if len(q.body) == 0 {
		return false
	}
	return !utf8.Valid(q.body) || !isTextMediaType(q.r.Header.Get("Content-Type"))
}

// isTextMediaType reports whether a Content-Type is one HTTP APIs pass as text.
func isTextMediaType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/xml", mt == "application/javascript",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// finishResponse decodes a base64 body: HTTP APIs always do.
func (a *httpAPI) finishResponse(_ *httpRequest, lr *lambdaResponse) error {
	return lr.decode("function")
}
