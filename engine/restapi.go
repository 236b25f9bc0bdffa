package engine

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/events"
	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

// restAPI is the adapter of a REST API (apigateway v1): a resource tree matched by path and method,
// payload 1.0 events, mapping templates and integration responses, and gateway responses for what
// the gateway answers itself.
type restAPI struct {
	tree *routeselect.ResourceTree
	// routes are the methods by "METHOD /resource".
	routes           map[string]*HTTPRoute
	gatewayResponses map[string]*gatewayResponse
	// binaryMediaTypes are the media types the API treats as binary ("image/png", "image/*", "*/*").
	binaryMediaTypes []string
}

func (a *restAPI) routeKeys() int { return len(a.routes) }

// restMethod is what a REST API method adds to its route: required request parameters, and for
// non-proxy integrations (MOCK, HTTP) the request templates and integration responses.
type restMethod struct {
	required []requiredParam
	// models are checked against the body when the method's validator says validateRequestBody.
	models              requestModels
	requestTemplates    *mapping.Templates
	passthrough         string // WHEN_NO_MATCH | WHEN_NO_TEMPLATES | NEVER
	integrationRespones []*integrationResponse
}

// requiredParam is a method.request.{path|querystring|header}.NAME marked required.
type requiredParam struct {
	in, name string
}

// integrationResponse maps an integration's answer to the method's response.
type integrationResponse struct {
	pattern    *routeselect.Pattern // nil: the default response
	status     int
	templates  *mapping.Templates
	parameters map[string]string // method.response.header.X -> 'literal' | integration.response.header.Y | integration.response.body.a.b
}

func (a *restAPI) serve(e *Engine, w http.ResponseWriter, r *http.Request, api *API) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	stageName, tail, _ := strings.Cut(rest, "/")
	st := api.Stages[stageName]
	q := newHTTPRequest(e, api, st, r, "/"+tail, e.now())
	// REST APIs' $context.requestId is the x-amzn-RequestId UUID; the short id is the
	// X-Amz-Apigw-Id, $context.extendedRequestId.
	q.extendedRequestID, q.requestID = q.requestID, uuid.NewString()
	w.Header().Set("X-Amzn-Requestid", q.requestID)
	w.Header().Set("X-Amz-Apigw-Id", q.extendedRequestID)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { e.answered(q, sw.status) }()
	w = sw
	if st == nil {
		q.stage = &Stage{API: api}
		a.reject(w, q, rejectNotFound, "")
		return
	}
	resource, methodKey, params, ok := a.tree.Match(r.Method, q.path, nil)
	if !ok {
		a.reject(w, q, rejectNotFound, "")
		return
	}
	q.params = params
	route := a.routes[methodKey+" "+resource]
	q.route, q.routeKey = route, route.Key
	q.metrics = e.metrics.route(st, route.Key)
	if missing := route.rest.missing(q); len(missing) > 0 {
		a.reject(w, q, rejectMissingParameters, "Missing required request parameters: ["+strings.Join(missing, ", ")+"]")
		return
	}
	t := route.target
	e.invokeHTTP(w, q, route, a, func(ctx context.Context, w http.ResponseWriter, q *httpRequest) {
		if route.rest.models != nil {
			if why, ok := route.rest.models.validate(q.r.Header.Get("Content-Type"), q.body); !ok {
				q.validationError = why
				a.reject(w, q, rejectInvalidBody, "")
				return
			}
		}
		switch {
		case t.typ.Payload == integration.PayloadEvent:
			e.invokeFunction(ctx, w, q, t, a, encodeV1REST, formatV1)
		case t.typ.Proxy:
			e.proxy(ctx, w, q, t, a)
		default:
			a.templated(ctx, e, w, q, route)
		}
	})
}

// missing lists required parameters the request lacks, as method.request.* names.
func (m *restMethod) missing(q *httpRequest) []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, p := range m.required {
		var ok bool
		switch p.in {
		case "path":
			_, ok = q.pathParameter(p.name)
		case "querystring":
			_, ok = q.queryValues()[p.name]
		case "header":
			_, ok = q.r.Header[http.CanonicalHeaderKey(p.name)]
		}
		if !ok {
			out = append(out, p.name)
		}
	}
	return out
}

// templated runs a REST MOCK or HTTP (non-proxy) integration: the request template selected by
// Content-Type shapes what the backend gets (for MOCK, {"statusCode": N} picks the answer), and the
// integration response whose selectionPattern matches the backend's status shapes the answer.
func (a *restAPI) templated(ctx context.Context, e *Engine, w http.ResponseWriter, q *httpRequest, route *HTTPRoute) {
	m, t := route.rest, route.target
	reqBody, ok := m.renderRequest(q)
	if !ok {
		a.reject(w, q, rejectUnsupportedMedia, "")
		return
	}
	req := &integration.Request{Body: reqBody}
	if t.typ.Payload == integration.PayloadHTTP {
		req.Method, req.URL, req.Header = requestMethod(t.method, q.r), substituteURI(t.uri, q), http.Header{}
		if ct := q.r.Header.Get("Content-Type"); ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if err := applyRequestOverrides(req, q.overrides); err != nil {
			a.failed(w, q, err)
			return
		}
	}
	resp, err := e.call(ctx, q.metrics, t, req)
	if err != nil {
		a.failed(w, q, err)
		return
	}
	status, respBody, respHeader := resp.StatusCode, resp.Body, resp.Header
	if t.typ.Payload == integration.PayloadTemplate {
		// A MOCK has no backend: its answer is the integration response the status selects.
		status, respBody, respHeader = 200, nil, http.Header{}
		if sc, ok := integration.MockStatus(reqBody); ok {
			status = sc
		}
	}
	ir := m.selectResponse(strconv.Itoa(status))
	if ir == nil {
		// No integration response fits: API Gateway answers with a configuration error.
		a.failed(w, q, integration.Errorf(integration.BadResponse, t.uri, "no integration response for status %d", status))
		return
	}
	out := respBody
	if tmpl, ok := ir.templates.Select("application/json"); ok {
		rendered, err := tmpl.Render(nil, &responseVars{httpRequest: q, body: respBody})
		if err != nil {
			a.failed(w, q, &integration.Error{Kind: integration.Invalid, Backend: t.uri, Err: err})
			return
		}
		out = rendered
	}
	h := w.Header()
	for target, src := range ir.parameters {
		name, ok := strings.CutPrefix(target, "method.response.header.")
		if !ok {
			continue
		}
		if v, ok := responseParameter(src, respHeader, respBody); ok {
			h.Set(name, v)
		}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	status = ir.status
	// $context.responseOverride.* set by the response template win over the integration response.
	for name, vs := range q.overrides {
		if hn, ok := strings.CutPrefix(name, "responseOverride.header."); ok {
			h.Del(hn)
			for _, v := range vs {
				h.Add(hn, v)
			}
		}
	}
	if vs := q.overrides["responseOverride.status"]; len(vs) > 0 {
		if n, err := strconv.Atoi(vs[0]); err == nil && n >= 100 && n <= 599 {
			status = n
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// applyRequestOverrides applies $context.requestOverride.header.X, .querystring.x and .path.x (a
// {x} of the integration URI) set by the request template.
func applyRequestOverrides(req *integration.Request, overrides map[string][]string) error {
	if len(overrides) == 0 {
		return nil
	}
	for name, vs := range overrides {
		if p, ok := strings.CutPrefix(name, "requestOverride.path."); ok && len(vs) > 0 {
			req.URL = strings.ReplaceAll(req.URL, "{"+p+"}", url.PathEscape(vs[0]))
		}
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return &integration.Error{Kind: integration.Invalid, Backend: req.URL, Err: err}
	}
	query := u.Query()
	for name, vs := range overrides {
		if hn, ok := strings.CutPrefix(name, "requestOverride.header."); ok {
			req.Header.Del(hn)
			for _, v := range vs {
				req.Header.Add(hn, v)
			}
		} else if qn, ok := strings.CutPrefix(name, "requestOverride.querystring."); ok {
			query[qn] = vs
		}
	}
	u.RawQuery = query.Encode()
	req.URL = u.String()
	return nil
}

// renderRequest renders the request template for the request's Content-Type, applying the
// passthrough behaviour when there is none; ok is false when the request must be refused (415).
func (m *restMethod) renderRequest(q *httpRequest) ([]byte, bool) {
	ct := q.r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "" {
		mt = "application/json"
	}
	if m.requestTemplates.Len() == 0 {
		return q.body, m.passthrough != "NEVER"
	}
	t, ok := m.requestTemplates.Select(mt)
	if !ok {
		switch m.passthrough {
		case "NEVER", "WHEN_NO_TEMPLATES":
			return nil, false
		}
		return q.body, true
	}
	out, err := t.Render(nil, q)
	if err != nil {
		return nil, false
	}
	return out, true
}

// selectResponse picks the integration response whose selectionPattern matches status (whole
// string), else the default one.
func (m *restMethod) selectResponse(status string) *integrationResponse {
	var def *integrationResponse
	for _, ir := range m.integrationRespones {
		if ir.pattern == nil {
			if def == nil {
				def = ir
			}
			continue
		}
		if ir.pattern.Match(status) {
			return ir
		}
	}
	return def
}

// responseParameter evaluates 'literal', integration.response.header.X or integration.response.body.a.b.
func responseParameter(src string, h http.Header, body []byte) (string, bool) {
	switch {
	case len(src) >= 2 && src[0] == '\'' && src[len(src)-1] == '\'':
		return src[1 : len(src)-1], true
	case strings.HasPrefix(src, "integration.response.header."):
		v := h.Get(strings.TrimPrefix(src, "integration.response.header."))
		return v, v != ""
	case strings.HasPrefix(src, "integration.response.body."):
		r := gjson.GetBytes(body, strings.TrimPrefix(src, "integration.response.body."))
		return r.String(), r.Exists()
	}
	return "", false
}

// responseVars gives response templates the integration's answer as $input.body.
type responseVars struct {
	*httpRequest
	body []byte
}

// Body implements mapping.Vars.
func (v *responseVars) Body() []byte { return v.body }

// compileREST compiles a REST API: its resource tree, methods, gateway responses and stages.
func compileRESTAPI(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors {
	var errs config.Errors
	a := &restAPI{routes: make(map[string]*HTTPRoute)}
	for _, t := range ac.BinaryMediaTypes {
		// The management API spells the slash "~1" (a JSON pointer escape); accept both.
		a.binaryMediaTypes = append(a.binaryMediaTypes, strings.ToLower(strings.ReplaceAll(t, "~1", "/")))
	}
	var methods []routeselect.ResourceMethod
	for i := range ac.Resources {
		res := &ac.Resources[i]
		for j := range res.Methods {
			mc := &res.Methods[j]
			mpath := fmt.Sprintf("%s.resources[%d].methods[%d]", path, i, j)
			route, merrs := compileRESTMethod(cfg, mpath, res.Path, mc, deps)
			errs = append(errs, merrs...)
			if route == nil {
				continue
			}
			a.routes[mc.HTTPMethod+" "+res.Path] = route
			methods = append(methods, routeselect.ResourceMethod{Path: res.Path, Method: mc.HTTPMethod})
		}
	}
	tree, err := routeselect.NewResourceTree(methods)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".resources", "%v", err))
	}
	a.tree = tree
	a.gatewayResponses = make(map[string]*gatewayResponse)
	for i, gc := range ac.GatewayResponses {
		gpath := fmt.Sprintf("%s.gatewayResponses[%d]", path, i)
		gr := &gatewayResponse{headers: map[string]string{}}
		if gc.StatusCode != "" {
			gr.status, _ = strconv.Atoi(gc.StatusCode)
		}
		for k, v := range gc.ResponseParameters {
			name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
			if !ok || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
				errs = append(errs, cfg.Errorf(gpath+".responseParameters", "%q: expected gatewayresponse.header.NAME: 'value'", k))
				continue
			}
			gr.headers[name] = v[1 : len(v)-1]
		}
		ts, err := mapping.ParseTemplates(gc.ResponseTemplates)
		if err != nil {
			errs = append(errs, cfg.Errorf(gpath+".responseTemplates", "%v", err))
		}
		gr.templates = ts
		a.gatewayResponses[gc.ResponseType] = gr
	}
	api.adapter = a
	stagesOf(api, ac.Stages, true)
	return errs
}

var requiredParamName = regexp.MustCompile(`^method\.request\.(path|querystring|header)\.(.+)$`)

func compileRESTMethod(cfg *config.Config, mpath, resourcePath string, mc *config.Method, deps Deps) (*HTTPRoute, config.Errors) {
	var errs config.Errors
	ic := &mc.Integration
	route := &HTTPRoute{Key: mc.HTTPMethod + " " + resourcePath, Path: resourcePath,
		rest: &restMethod{passthrough: ic.PassthroughBehavior}}
	for name, required := range mc.RequestParameters {
		m := requiredParamName.FindStringSubmatch(name)
		if m == nil {
			errs = append(errs, cfg.Errorf(mpath+".requestParameters", "%q: expected method.request.{path|querystring|header}.NAME", name))
			continue
		}
		// Required parameters are enforced only under a request validator with
		// validateRequestParameters, as in API Gateway.
		if required && mc.RequestValidator != nil && mc.RequestValidator.ValidateRequestParameters {
			route.rest.required = append(route.rest.required, requiredParam{in: m[1], name: m[2]})
		}
	}
	sort.Slice(route.rest.required, func(i, j int) bool { return route.rest.required[i].name < route.rest.required[j].name })
	if mc.RequestValidator != nil && mc.RequestValidator.ValidateRequestBody {
		models, err := compileRequestModels(mc.RequestModels, "restapis/"+mpath)
		if err != nil {
			errs = append(errs, cfg.Errorf(mpath+".requestModels", "%v", err))
		}
		route.rest.models = models
	}
	ts, err := mapping.ParseTemplates(ic.RequestTemplates)
	if err != nil {
		errs = append(errs, cfg.Errorf(mpath+".integration.requestTemplates", "%v", err))
	}
	route.rest.requestTemplates = ts
	for k, irc := range ic.IntegrationResponses {
		ipath := fmt.Sprintf("%s.integration.integrationResponses[%d]", mpath, k)
		ir := &integrationResponse{parameters: irc.ResponseParameters}
		ir.status, _ = strconv.Atoi(irc.StatusCode)
		if irc.SelectionPattern != "" {
			p, err := routeselect.CompilePattern(irc.SelectionPattern)
			if err != nil {
				errs = append(errs, cfg.Errorf(ipath+".selectionPattern", "%v", err))
				continue
			}
			ir.pattern = p
		}
		if ir.templates, err = mapping.ParseTemplates(irc.ResponseTemplates); err != nil {
			errs = append(errs, cfg.Errorf(ipath+".responseTemplates", "%v", err))
		}
		route.rest.integrationRespones = append(route.rest.integrationRespones, ir)
	}
	t, err := compileTarget(targetSpec{protocol: config.ProtocolREST, typeName: ic.Type, uri: ic.URI,
		method: ic.HTTPMethod, timeoutMS: ic.TimeoutInMillis, stream: true}, deps)
	if err != nil {
		errs = append(errs, cfg.Errorf(mpath+".integration.type", "%v", err))
	} else {
		route.target = t
		if !t.typ.Proxy && len(route.rest.integrationRespones) == 0 {
			// Without integration responses, the backend's answer passes through with its status.
			route.rest.integrationRespones = []*integrationResponse{{status: 200}}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return route, nil
}

// restDefault is one REST gateway response type's default status, body and error type header.
type restDefault struct {
	status    int
	body      string // "" means {"message":<message>} with the error's own message
	errorType string
}

var restDefaults = map[string]restDefault{
	"MISSING_AUTHENTICATION_TOKEN":   {403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
	"REQUEST_TOO_LARGE":              {413, `{"message":"Request Too Long"}`, ""},
	"BAD_REQUEST_BODY":               {400, `{"message": "Invalid request body"}`, "BadRequestException"},
	"BAD_REQUEST_PARAMETERS":         {400, "", "BadRequestException"},
	"UNSUPPORTED_MEDIA_TYPE":         {415, `{"message":"Unsupported Media Type"}`, ""},
	"INTEGRATION_TIMEOUT":            {504, `{"message": "Endpoint request timed out"}`, ""},
	"INTEGRATION_FAILURE":            {504, `{"message": "Internal server error"}`, "InternalServerErrorException"},
	"API_CONFIGURATION_ERROR":        {502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
	"INVALID_API_KEY":                {403, `{"message":"Forbidden"}`, "ForbiddenException"},
	"THROTTLED":                      {429, `{"message":"Too Many Requests"}`, ""},
	"QUOTA_EXCEEDED":                 {429, `{"message":"Limit Exceeded"}`, ""},
	"ACCESS_DENIED":                  {403, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException"},
	"UNAUTHORIZED":                   {401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
	"AUTHORIZER_FAILURE":             {500, `{"message": null}`, ""},
	"AUTHORIZER_CONFIGURATION_ERROR": {500, `{"message": null}`, ""},
	"RESOURCE_NOT_FOUND":             {404, `{"message":"Not Found"}`, ""},
}

// gatewayResponse is an API's customisation of one gateway response type.
type gatewayResponse struct {
	status    int // 0: the type's default
	headers   map[string]string
	templates *mapping.Templates
}

// restRejections are the gateway response types and messages of what the gateway refuses itself.
var restRejections = map[rejection][2]string{
	rejectNotFound:          {"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"},
	rejectTooLarge:          {"REQUEST_TOO_LARGE", "Request Too Long"},
	rejectBadRequest:        {"BAD_REQUEST_BODY", "Invalid request body"},
	rejectUnsupportedMedia:  {"UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"},
	rejectMissingParameters: {"BAD_REQUEST_PARAMETERS", "Missing required request parameters"},
	rejectThrottled:         {"THROTTLED", "Too Many Requests"},
	rejectInvalidBody:       {"BAD_REQUEST_BODY", "Invalid request body"},
	rejectUnauthorized:      {"UNAUTHORIZED", "Unauthorized"},
	rejectForbidden:         {"ACCESS_DENIED", "User is not authorized to access this resource"},
}

// restFailures are the gateway response types of integration failures, by kind.
var restFailures = map[integration.Kind][2]string{
	integration.Timeout:      {"INTEGRATION_TIMEOUT", "Endpoint request timed out"},
	integration.Unavailable:  {"INTEGRATION_FAILURE", "Internal server error"},
	integration.Refused:      {"INTEGRATION_FAILURE", "Internal server error"},
	integration.Failed:       {"INTEGRATION_FAILURE", "Internal server error"},
	integration.TooLarge:     {"REQUEST_TOO_LARGE", "Request Too Long"},
	integration.BadResponse:  {"API_CONFIGURATION_ERROR", "Internal server error"},
	integration.BackendError: {"API_CONFIGURATION_ERROR", "Internal server error"},
	integration.Invalid:      {"API_CONFIGURATION_ERROR", "Internal server error"},
}

func (a *restAPI) reject(w http.ResponseWriter, q *httpRequest, why rejection, detail string) {
	rt := restRejections[why]
	if detail != "" {
		rt[1] = detail
	}
	a.gatewayAnswer(w, q, rt[0], rt[1])
}

func (a *restAPI) failed(w http.ResponseWriter, q *httpRequest, err error) {
	q.engine.integrationFailed(q, err)
	rt, ok := restFailures[integration.KindOf(err)]
	if !ok {
		rt = restFailures[integration.Failed]
	}
	a.gatewayAnswer(w, q, rt[0], rt[1])
}

// gatewayAnswer answers with the gateway response of responseType: its default status and body, or
// the API's customisation of it.
func (a *restAPI) gatewayAnswer(w http.ResponseWriter, q *httpRequest, responseType, message string) {
	def := restDefaults[responseType]
	status, body := def.status, def.body
	if body == "" {
		body = `{"message": ` + string(events.AppendJSONString(nil, message)) + `}`
	}
	if gr := a.gatewayResponse(responseType, status); gr != nil {
		if gr.status != 0 {
			status = gr.status
		}
		for k, v := range gr.headers {
			w.Header().Set(k, v)
		}
		if t, ok := gr.templates.Select("application/json"); ok {
			ev := &errorVars{httpRequest: q, message: message, responseType: responseType}
			if out, err := t.Render(nil, ev); err == nil {
				body = string(out)
			}
		}
	}
	if def.errorType != "" {
		w.Header().Set("X-Amzn-Errortype", def.errorType)
	}
	writeJSONError(w, status, body)
}

// gatewayResponse returns the API's customisation for a response type: its own, else DEFAULT_4XX or
// DEFAULT_5XX by the status class.
func (a *restAPI) gatewayResponse(responseType string, status int) *gatewayResponse {
	if gr, ok := a.gatewayResponses[responseType]; ok {
		return gr
	}
	if status >= 500 {
		return a.gatewayResponses["DEFAULT_5XX"]
	}
	return a.gatewayResponses["DEFAULT_4XX"]
}

// errorVars adds $context.error.* to a request's template variables.
type errorVars struct {
	*httpRequest
	message      string
	responseType string
}

// Context implements mapping.Vars.
func (v *errorVars) Context(name string) (string, bool) {
	switch name {
	case "error.message":
		return v.message, true
	case "error.messageString":
		return string(events.AppendJSONString(nil, v.message)), true
	case "error.responseType":
		return v.responseType, true
	case "error.validationErrorString":
		return v.validationError, true
	}
	return v.httpRequest.Context(name)
}

var (
	_ adapter     = (*restAPI)(nil)
	_ httpServing = (*restAPI)(nil)
	_ httpDialect = (*restAPI)(nil)
)

// isBinary reports whether a Content-Type or Accept value names one of the API's binary media types.
func (a *restAPI) isBinary(value string) bool {
	if len(a.binaryMediaTypes) == 0 || value == "" {
		return false
	}
	for _, part := range strings.Split(value, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		for _, b := range a.binaryMediaTypes {
			if b == "*/*" || b == mt || strings.HasSuffix(b, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(b, "*")) {
				return true
			}
		}
		// Only the first media type of an Accept header counts, as API Gateway reads it.
		return false
	}
	return false
}

// binaryBody is REST APIs' rule: a body goes base64-encoded when its Content-Type is one of the
// API's binaryMediaTypes; otherwise it is passed as text.
func (a *restAPI) binaryBody(q *httpRequest) bool {
	return len(q.body) > 0 && a.isBinary(q.r.Header.Get("Content-Type"))
}

// finishResponse applies REST's proxy response rules: without a Content-Type the answer is
// application/json; a base64 body is decoded to binary only when the request's Accept or the
// response's Content-Type is a binary media type, else it passes through as the text it is.
func (a *restAPI) finishResponse(q *httpRequest, lr *lambdaResponse) error {
	if lr.header == nil {
		lr.header = http.Header{}
	}
	if lr.header.Get("Content-Type") == "" {
		lr.header.Set("Content-Type", "application/json")
	}
	if lr.base64 && (a.isBinary(q.r.Header.Get("Accept")) || a.isBinary(lr.header.Get("Content-Type"))) {
		return lr.decode("function")
	}
	lr.base64 = false
	return nil
}
