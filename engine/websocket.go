package engine

import (
	"context"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/events"
	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

// webSocketAPI is the adapter of a WebSocket API: its routes by route key and the route table the
// route selection expression picks from. Events are CONNECT, MESSAGE and DISCONNECT; integration
// failures become API Gateway's error frame.
type webSocketAPI struct {
	routes map[string]*Route
	table  *routeselect.RouteTable
}

func (a *webSocketAPI) routeKeys() int { return len(a.routes) }

// Route is one compiled route of a WebSocket API.
type Route struct {
	Key string
	// TwoWay is true when the route has a route response ($default), so the integration's body is
	// sent back to the client.
	TwoWay bool
	target *target
	// templates and templateSelection render the body of MOCK and HTTP integrations.
	templates         *mapping.Templates
	templateSelection *routeselect.Expression
	params            []requestParameter
}

func compileWebSocketAPI(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors {
	var errs config.Errors
	expr, err := routeselect.Parse(ac.RouteSelectionExpression)
	if err != nil {
		return config.Errors{cfg.Errorf(path+".routeSelectionExpression", "%v", err)}
	}
	a := &webSocketAPI{routes: make(map[string]*Route, len(ac.Routes))}
	keys := make([]string, 0, len(ac.Routes))
	for j := range ac.Routes {
		rc := &ac.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		r, rerrs := compileWebSocketRoute(cfg, rpath, rc, deps)
		errs = append(errs, rerrs...)
		if r != nil {
			a.routes[r.Key] = r
			keys = append(keys, r.Key)
		}
	}
	a.table = routeselect.NewRouteTable(expr, keys)
	api.adapter = a
	stagesOf(api, ac.Stages, false)
	return errs
}

func compileWebSocketRoute(cfg *config.Config, path string, rc *config.Route, deps Deps) (*Route, config.Errors) {
	var errs config.Errors
	ic := &rc.Integration
	r := &Route{Key: rc.RouteKey, TwoWay: rc.RouteResponseSelectionExpression != ""}
	if len(ic.Templates) > 0 {
		ts, err := mapping.ParseTemplates(ic.Templates)
		if err != nil {
			errs = append(errs, cfg.Errorf(path+".integration.templates", "%v", err))
		}
		r.templates = ts
	}
	if ic.TemplateSelectionExpression != "" {
		e, err := routeselect.Parse(ic.TemplateSelectionExpression)
		if err != nil {
			errs = append(errs, cfg.Errorf(path+".integration.templateSelectionExpression", "%v", err))
		}
		r.templateSelection = e
	}
	params, err := compileRequestParameters(ic.RequestParameters)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".integration.requestParameters", "%v", err))
	}
	r.params = params
	t, err := compileTarget(targetSpec{protocol: config.ProtocolWebSocket, typeName: ic.IntegrationType,
		uri: ic.IntegrationURI, method: ic.IntegrationMethod, timeoutMS: ic.TimeoutInMillis}, deps)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".integration.integrationType", "%v", err))
	}
	r.target = t
	if len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

// Connect runs the $connect route for a new connection, synchronously. Without a $connect route the
// connection is accepted.
func (e *Engine) Connect(ctx context.Context, c *Connection) ConnectResult {
	rm := e.metrics.route(c.Stage, "$connect")
	rm.connected()
	route, ok := c.Stage.API.webSocket().routes["$connect"]
	if !ok {
		return ConnectResult{Status: 200}
	}
	r := &wsRequest{conn: c, stage: c.Stage, eventType: EventConnect, routeKey: "$connect", requestID: NewRequestID(), time: e.now()}
	resp, err := e.invokeWebSocket(ctx, route, r)
	if err != nil {
		e.warnIntegration("$connect integration failed", c.Stage.API, c.Stage.Name, "$connect", r.requestID, err,
			zap.String("connectionId", c.ID))
		e.accessWebSocket(r, 502)
		return ConnectResult{Status: 502, Header: jsonHeader(), Body: []byte(`{"message": "Internal server error"}`)}
	}
	res := ConnectResult{Status: resp.status, Header: resp.header}
	if resp.status < 200 || resp.status > 299 {
		res.Body = resp.body
		rm.clientFailed()
	}
	e.accessWebSocket(r, res.Status)
	return res
}

// Message routes one text message from a client and runs its integration. MOCK integrations run on
// the caller's goroutine; others run on their own goroutine, so Message returns at once. Replies and
// error frames go to rep.
func (e *Engine) Message(c *Connection, body []byte, rep Replier) { e.MessageLent(c, body, rep) }

// MessageLent is Message for a caller that wants body back to reuse its memory. It reports whether
// body may still be read after it returns (kept: an integration runs on its own goroutine with it).
// When kept is false, nothing the engine holds refers to body any more, except that a reply given to
// rep during the call may be body itself or a part of it (a passthrough MOCK echoes it).
func (e *Engine) MessageLent(c *Connection, body []byte, rep Replier) (kept bool) {
	st := e.currentStage(c)
	a := st.API.webSocket()
	r := &wsRequest{conn: c, stage: st, eventType: EventMessage, requestID: NewRequestID(), body: body, time: e.now()}
	r.messageID = NewRequestID() // API Gateway gives each message its own id, apart from the request id
	key, ok := a.table.Select(body, r)
	rm := e.metrics.route(st, key)
	rm.messaged()
	r.metrics = rm
	if !ok {
		rm.clientFailed()
		e.accessWebSocket(r, 403)
		rep.Reply(errorFrame("Forbidden", c.ID, r.requestID))
		return false
	}
	route := a.routes[key]
	r.routeKey = key
	if route.target.inline {
		e.respond(route, r, rep)
		return false
	}
	if !e.acquire(c) {
		rm.executionFailed()
		e.accessWebSocket(r, 429)
		rep.Reply(errorFrame("Too Many Requests", c.ID, r.requestID))
		return false
	}
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		defer e.release(c)
		e.respond(route, r, rep)
	}()
	return true
}

func (e *Engine) respond(route *Route, r *wsRequest, rep Replier) {
	resp, err := e.invokeWebSocket(context.Background(), route, r)
	if err != nil {
		e.warnIntegration("integration failed", r.stage.API, r.stage.Name, r.routeKey, r.requestID, err,
			zap.String("connectionId", r.conn.ID))
		e.accessWebSocket(r, 500)
		rep.Reply(errorFrame("Internal server error", r.conn.ID, r.requestID))
		return
	}
	e.accessWebSocket(r, 200)
	if !route.TwoWay || len(resp.body) == 0 {
		return
	}
	if e.maxReply > 0 && len(resp.body) > e.maxReply {
		// A route response goes out as one message: one over the message limit is an integration
		// error, never a giant frame.
		r.metrics.executionFailed()
		e.warnIntegration("route response over the message limit", r.stage.API, r.stage.Name, r.routeKey, r.requestID,
			fmt.Errorf("%d bytes, limit %d", len(resp.body), e.maxReply), zap.String("connectionId", r.conn.ID))
		rep.Reply(errorFrame("Internal server error", r.conn.ID, r.requestID))
		return
	}
	rep.Reply(resp.body)
}

// Disconnect runs the $disconnect route, best effort, on its own goroutine; its result is ignored.
func (e *Engine) Disconnect(c *Connection, code int, reason string) {
	st := e.currentStage(c)
	route, ok := st.API.webSocket().routes["$disconnect"]
	if !ok {
		return
	}
	r := &wsRequest{conn: c, stage: st, eventType: EventDisconnect, routeKey: "$disconnect", requestID: NewRequestID(),
		time: e.now(), discCode: code, discReason: reason, metrics: e.metrics.route(st, "$disconnect")}
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		if _, err := e.invokeWebSocket(context.Background(), route, r); err != nil {
			// The event is lost: nothing will deliver it again.
			e.metrics.disconnectLost()
			e.warnIntegration("$disconnect integration failed; the event is lost", st.API, st.Name, "$disconnect", r.requestID, err,
				zap.String("connectionId", c.ID))
			e.accessWebSocket(r, 500)
			return
		}
		e.accessWebSocket(r, 200)
	}()
}

// currentStage is the connection's stage in the current deployment: after a reload, messages of
// open connections are routed by the new deployment's routes, as API Gateway does (the connection
// keeps its id and identity). A connection whose API or stage is gone keeps the one it opened on.
func (e *Engine) currentStage(c *Connection) *Stage {
	d := e.Deployment()
	if api, ok := d.byID[c.Stage.API.ID]; ok && api != c.Stage.API {
		if st, ok := api.Stages[c.Stage.Name]; ok {
			if _, ws := api.adapter.(*webSocketAPI); ws {
				return st
			}
		}
	}
	return c.Stage
}

// invokeWebSocket builds the integration request of a WebSocket event for the route's integration
// type, calls it within the route's timeout and reads the answer.
func (e *Engine) invokeWebSocket(ctx context.Context, route *Route, r *wsRequest) (*lambdaResponse, error) {
	t := route.target
	ctx, cancel := t.deadline(ctx)
	defer cancel()
	req := &integration.Request{}
	switch t.typ.Payload {
	case integration.PayloadTemplate:
		body, err := route.render(r)
		if err != nil {
			return nil, &integration.Error{Kind: integration.Invalid, Backend: "MOCK", Err: err}
		}
		req.Body = body
	case integration.PayloadEvent:
		req.Body = appendWebSocketEvent(make([]byte, 0, 512+len(r.body)), r)
	case integration.PayloadHTTP:
		if err := route.httpRequest(req, r); err != nil {
			return nil, err
		}
	}
	resp, err := e.call(ctx, r.metrics, t, req)
	if err != nil {
		return nil, err
	}
	switch t.typ.Payload {
	case integration.PayloadEvent:
		lr, err := parseLambdaResponse(resp.Body, formatWebSocket, t.uri)
		if err == nil {
			err = lr.decode(t.uri)
		}
		return lr, err
	case integration.PayloadTemplate:
		status := 200
		if sc, ok := integration.MockStatus(resp.Body); ok && r.eventType == EventConnect {
			status = sc
		}
		return &lambdaResponse{status: status, body: resp.Body}, nil
	}
	return &lambdaResponse{status: resp.StatusCode, header: resp.Header, body: resp.Body}, nil
}

// httpRequest builds the request of an HTTP or HTTP_PROXY integration: HTTP_PROXY sends the message
// as it came (on $connect, the handshake's headers and no body); HTTP sends the rendered request
// template. requestParameters then set headers and query string values.
func (rt *Route) httpRequest(req *integration.Request, r *wsRequest) error {
	t := rt.target
	body := r.body
	if !t.typ.Proxy {
		rendered, err := rt.render(r)
		if err != nil {
			return &integration.Error{Kind: integration.Invalid, Backend: t.uri, Err: err}
		}
		if rendered != nil || rt.templates != nil {
			body = rendered
		}
	}
	req.Method, req.URL, req.Header = t.method, substituteStageVariables(t.uri, r.stage.Variables), http.Header{}
	switch r.eventType {
	case EventMessage:
		req.Body = body
		if req.Body == nil {
			req.Body = []byte{}
		}
		req.Header.Set("Content-Type", "application/json")
	case EventConnect:
		integration.CopyHeaders(req.Header, r.conn.Header)
		for _, k := range handshakeOnlyHeaders {
			req.Header.Del(k)
		}
		req.Header.Set("X-Forwarded-For", r.conn.SourceIP)
	}
	return applyRequestParameters(req, rt.params, r)
}

// render renders the route's selected request template; with no templates, the body is empty (MOCK)
// or passed through unchanged (HTTP).
func (rt *Route) render(r *wsRequest) ([]byte, error) {
	if rt.templates == nil || rt.templates.Len() == 0 {
		return nil, nil
	}
	key := "$default"
	if rt.templateSelection != nil {
		if v, ok := rt.templateSelection.Evaluate(r.body, r); ok {
			key = v
		}
	}
	t, ok := rt.templates.Select(key)
	if !ok {
		return nil, nil
	}
	if t.IsPassthrough() {
		return r.body, nil
	}
	return t.Render(make([]byte, 0, len(r.body)+64), r)
}

// errorFrame is API Gateway's error frame: {"message": "...", "connectionId":"...", "requestId":"..."}
// with a space only after "message": and after the commas.
func errorFrame(message, connID, requestID string) []byte {
	b := make([]byte, 0, 96)
	b = append(b, `{"message": `...)
	b = events.AppendJSONString(b, message)
	b = append(b, `, "connectionId":`...)
	b = events.AppendJSONString(b, connID)
	b = append(b, `, "requestId":`...)
	b = events.AppendJSONString(b, requestID)
	return append(b, '}')
}

func jsonHeader() map[string][]string {
	return map[string][]string{"Content-Type": {"application/json"}}
}
