package engine

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

func (deps Deps) transport() http.RoundTripper {
	if deps.Transport != nil {
		return deps.Transport
	}
	return http.DefaultTransport
}

func stagesOf(api *API, stages []config.Stage, rest bool) {
	for _, sc := range stages {
		vars := sc.StageVariables
		if rest {
			vars = sc.Variables
		}
		api.Stages[sc.StageName] = &Stage{API: api, Name: sc.StageName, Variables: vars}
	}
}

// compileHTTPAPI compiles an HTTP API: its router, routes, CORS policy and stages.
func compileHTTPAPI(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors {
	var errs config.Errors
	api.httpRoutes = make(map[string]*HTTPRoute, len(ac.Routes))
	keys := make([]string, 0, len(ac.Routes))
	for j := range ac.Routes {
		rc := &ac.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		if _, _, err := routeselect.ParseRouteKey(rc.RouteKey); err != nil && rc.RouteKey != "$default" {
			errs = append(errs, cfg.Errorf(rpath+".routeKey", "%v", err))
			continue
		}
		ic := &rc.Integration
		route := &HTTPRoute{Key: rc.RouteKey, Timeout: time.Duration(ic.TimeoutInMillis) * time.Millisecond}
		if _, p, err := routeselect.ParseRouteKey(rc.RouteKey); err == nil {
			route.Path = p
		}
		switch ic.IntegrationType {
		case "HTTP_PROXY":
			route.integration = &proxyIntegration{uri: ic.IntegrationURI, method: ic.IntegrationMethod, transport: deps.transport()}
		case "NATS":
			route.integration = &natsHTTPIntegration{subject: ic.IntegrationURI, nc: deps.NATS, state: deps.NATSState,
				v1: ic.PayloadFormatVersion == "1.0"}
		case "MOCK":
			ts, err := mapping.ParseTemplates(ic.Templates)
			if err != nil {
				errs = append(errs, cfg.Errorf(rpath+".integration.templates", "%v", err))
				continue
			}
			route.integration = &mockHTTPIntegration{templates: ts}
		default:
			errs = append(errs, cfg.Errorf(rpath+".integration.integrationType", "integrationType %s is not available in HTTP APIs", ic.IntegrationType))
			continue
		}
		api.httpRoutes[rc.RouteKey] = route
		keys = append(keys, rc.RouteKey)
	}
	router, err := routeselect.NewHTTPRouter(keys)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".routes", "%v", err))
	}
	api.httpRouter = router
	if c := ac.CORSConfiguration; c != nil {
		api.cors = newCORSPolicy(c.AllowOrigins, c.AllowMethods, c.AllowHeaders, c.ExposeHeaders, c.MaxAge, c.AllowCredentials)
	}
	stagesOf(api, ac.Stages, false)
	if len(api.Stages) == 0 {
		api.Stages["$default"] = &Stage{API: api, Name: "$default"}
	}
	return errs
}

// compileREST compiles a REST API: its resource tree, methods, gateway responses and stages.
func compileREST(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors {
	var errs config.Errors
	api.restRoutes = make(map[string]*HTTPRoute)
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
			api.restRoutes[mc.HTTPMethod+" "+res.Path] = route
			methods = append(methods, routeselect.ResourceMethod{Path: res.Path, Method: mc.HTTPMethod})
		}
	}
	tree, err := routeselect.NewResourceTree(methods)
	if err != nil {
		errs = append(errs, cfg.Errorf(path+".resources", "%v", err))
	}
	api.restTree = tree
	api.gatewayResponses = make(map[string]*gatewayResponse)
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
		api.gatewayResponses[gc.ResponseType] = gr
	}
	stagesOf(api, ac.Stages, true)
	return errs
}

var requiredParamName = regexp.MustCompile(`^method\.request\.(path|querystring|header)\.(.+)$`)

func compileRESTMethod(cfg *config.Config, mpath, resourcePath string, mc *config.Method, deps Deps) (*HTTPRoute, config.Errors) {
	var errs config.Errors
	ic := &mc.Integration
	route := &HTTPRoute{Key: mc.HTTPMethod + " " + resourcePath, Path: resourcePath,
		Timeout: time.Duration(ic.TimeoutInMillis) * time.Millisecond, rest: &restMethod{passthrough: ic.PassthroughBehavior}}
	for name, required := range mc.RequestParameters {
		m := requiredParamName.FindStringSubmatch(name)
		if m == nil {
			errs = append(errs, cfg.Errorf(mpath+".requestParameters", "%q: expected method.request.{path|querystring|header}.NAME", name))
			continue
		}
		if required {
			route.rest.required = append(route.rest.required, requiredParam{in: m[1], name: m[2]})
		}
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
	switch ic.Type {
	case "HTTP_PROXY":
		method := ic.HTTPMethod
		if method == "" {
			method = mc.HTTPMethod
		}
		route.integration = &proxyIntegration{uri: ic.URI, method: method, transport: deps.transport()}
	case "NATS":
		route.integration = &natsHTTPIntegration{subject: ic.URI, nc: deps.NATS, state: deps.NATSState, v1: true}
	case "MOCK", "HTTP":
		if len(route.rest.integrationRespones) == 0 {
			// Without integration responses, the backend's answer passes through with its status.
			route.rest.integrationRespones = []*integrationResponse{{status: 200}}
		}
		method := ic.HTTPMethod
		if method == "" {
			method = mc.HTTPMethod
		}
		route.integration = &templatedIntegration{mock: ic.Type == "MOCK", uri: ic.URI, method: method,
			route: route, transport: deps.transport()}
	default:
		errs = append(errs, cfg.Errorf(mpath+".integration.type", "integration type %s is not available in REST APIs", ic.Type))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return route, nil
}
