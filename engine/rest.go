package engine

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

// restMethod is what a REST API method adds to its route: required request parameters, and for
// non-proxy integrations (MOCK, HTTP) the request templates and integration responses.
type restMethod struct {
	required            []requiredParam
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

func (e *Engine) serveREST(w http.ResponseWriter, r *http.Request, api *API) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	stageName, tail, _ := strings.Cut(rest, "/")
	st := api.Stages[stageName]
	q := newHTTPRequest(e, api, st, r, "/"+tail, e.now())
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.Header().Set("X-Amz-Apigw-Id", q.requestID)
	e.metrics.message()
	if st == nil {
		q.stage = &Stage{API: api}
		e.httpError(w, q, errNotFound)
		return
	}
	resource, methodKey, params, ok := api.restTree.Match(r.Method, q.path, nil)
	if !ok {
		e.httpError(w, q, errNotFound)
		return
	}
	q.params = params
	route := api.restRoutes[methodKey+" "+resource]
	q.route, q.routeKey = route, route.Key
	if missing := route.rest.missing(q); len(missing) > 0 {
		e.httpError(w, q, errMissingParameters(missing))
		return
	}
	e.invokeHTTP(w, q, route)
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

// templatedIntegration is a REST MOCK or HTTP (non-proxy) integration: the request template selected
// by Content-Type shapes what the backend gets (for MOCK, {"statusCode": N} picks the answer), and
// the integration response whose selectionPattern matches the backend's status shapes the answer.
type templatedIntegration struct {
	mock      bool
	uri       string
	method    string
	route     *HTTPRoute
	transport http.RoundTripper
}

func (t *templatedIntegration) serve(ctx context.Context, w http.ResponseWriter, q *httpRequest) {
	m := t.route.rest
	reqBody, ok := m.renderRequest(q)
	if !ok {
		q.engine.httpError(w, q, errUnsupportedMedia)
		return
	}
	status := 200
	var respBody []byte
	respHeader := http.Header{}
	if t.mock {
		if sc := gjson.GetBytes(reqBody, "statusCode"); sc.Type == gjson.Number {
			status = int(sc.Int())
		}
	} else {
		method := t.method
		if method == "" || method == "ANY" {
			method = q.r.Method
		}
		req, err := http.NewRequestWithContext(ctx, method, substituteURI(t.uri, q), bytes.NewReader(reqBody))
		if err != nil {
			q.engine.httpError(w, q, errProxyFailed)
			return
		}
		if ct := q.r.Header.Get("Content-Type"); ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := t.transport.RoundTrip(req)
		if err != nil {
			q.engine.httpError(w, q, classifyProxyError(ctx, err))
			return
		}
		respBody, err = io.ReadAll(io.LimitReader(resp.Body, MaxHTTPBody))
		resp.Body.Close()
		if err != nil {
			q.engine.httpError(w, q, classifyProxyError(ctx, err))
			return
		}
		status, respHeader = resp.StatusCode, resp.Header
	}
	ir := m.selectResponse(strconv.Itoa(status))
	if ir == nil {
		// No integration response fits: API Gateway answers with a configuration error.
		q.engine.httpError(w, q, errBadOutput)
		return
	}
	out := respBody
	if tmpl, ok := ir.templates.Select("application/json"); ok {
		rendered, err := tmpl.Render(nil, &responseVars{httpRequest: q, body: respBody})
		if err != nil {
			q.engine.httpError(w, q, errBadOutput)
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
	w.WriteHeader(ir.status)
	_, _ = w.Write(out)
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

var _ httpServer = (*templatedIntegration)(nil)
