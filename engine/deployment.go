package engine

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/mapping"
	"github.com/portico-gateway/portico/routeselect"
)

// Deployment is an immutable snapshot of every API in a config, compiled once and only read
// afterwards. Stages point into it; a new config builds a new Deployment.
type Deployment struct {
	APIs       []*API
	byID       map[string]*API
	defaultAPI *API
	Region     string
}

// API is one compiled API.
type API struct {
	ID           string
	Name         string
	ProtocolType string
	Stages       map[string]*Stage
	// Routes are a WebSocket API's routes by route key.
	Routes     map[string]*Route
	routeTable *routeselect.RouteTable

	// HTTP APIs.
	httpRouter *routeselect.HTTPRouter
	httpRoutes map[string]*HTTPRoute
	cors       *corsPolicy
	// REST APIs: methods by "METHOD /resource".
	restTree         *routeselect.ResourceTree
	restRoutes       map[string]*HTTPRoute
	gatewayResponses map[string]*gatewayResponse
}

// Stage is a named stage of an API with its variables.
type Stage struct {
	API       *API
	Name      string
	Variables map[string]string
}

// Route is one compiled route: its key, integration and whether it answers the client.
type Route struct {
	Key         string
	Integration Integration
	// TwoWay is true when the route has a route response ($default), so the integration's body is
	// sent back to the client.
	TwoWay  bool
	Timeout time.Duration
	// templates and templateSelection drive MOCK and HTTP integrations.
	templates         *mapping.Templates
	templateSelection *routeselect.Expression
}

// Deps are what integrations need from the node: the NATS connection and the HTTP client.
type Deps struct {
	NATS      NATSConn
	NATSState *NATSState
	HTTP      HTTPDoer
	// Transport carries HTTP_PROXY and HTTP integrations of HTTP and REST APIs; nil: http.DefaultTransport.
	Transport http.RoundTripper
}

// Compile builds a Deployment from a validated config. Problems (selection expressions, templates)
// come back as config.Errors positioned in the config file.
func Compile(cfg *config.Config, deps Deps) (*Deployment, error) {
	d := &Deployment{byID: make(map[string]*API), Region: cfg.Node.Region}
	var errs config.Errors
	for i := range cfg.APIs {
		ac := &cfg.APIs[i]
		path := fmt.Sprintf("apis[%d]", i)
		api := &API{ID: ac.APIID, Name: ac.Name, ProtocolType: ac.ProtocolType,
			Stages: make(map[string]*Stage), Routes: make(map[string]*Route)}
		if api.ID == "" {
			api.ID = config.DeriveAPIID(ac.Name)
		}
		if ac.ProtocolType != "WEBSOCKET" {
			var aerrs config.Errors
			if ac.ProtocolType == "REST" {
				aerrs = compileREST(cfg, path, ac, api, deps)
			} else {
				aerrs = compileHTTPAPI(cfg, path, ac, api, deps)
			}
			errs = append(errs, aerrs...)
			d.APIs = append(d.APIs, api)
			d.byID[api.ID] = api
			if cfg.DefaultAPI != "" && (cfg.DefaultAPI == api.Name || cfg.DefaultAPI == api.ID) {
				d.defaultAPI = api
			}
			continue
		}
		expr, err := routeselect.Parse(ac.RouteSelectionExpression)
		if err != nil {
			errs = append(errs, cfg.Errorf(path+".routeSelectionExpression", "%v", err))
			continue
		}
		keys := make([]string, 0, len(ac.Routes))
		for j := range ac.Routes {
			rc := &ac.Routes[j]
			rpath := fmt.Sprintf("%s.routes[%d]", path, j)
			r, rerrs := compileRoute(cfg, rpath, rc, deps)
			errs = append(errs, rerrs...)
			if r != nil {
				api.Routes[r.Key] = r
				keys = append(keys, r.Key)
			}
		}
		api.routeTable = routeselect.NewRouteTable(expr, keys)
		for _, sc := range ac.Stages {
			api.Stages[sc.StageName] = &Stage{API: api, Name: sc.StageName, Variables: sc.StageVariables}
		}
		d.APIs = append(d.APIs, api)
		d.byID[api.ID] = api
		if cfg.DefaultAPI != "" && (cfg.DefaultAPI == api.Name || cfg.DefaultAPI == api.ID) {
			d.defaultAPI = api
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if d.defaultAPI == nil && len(d.APIs) == 1 {
		d.defaultAPI = d.APIs[0]
	}
	return d, nil
}

func compileRoute(cfg *config.Config, path string, rc *config.Route, deps Deps) (*Route, config.Errors) {
	var errs config.Errors
	ic := &rc.Integration
	r := &Route{
		Key:     rc.RouteKey,
		TwoWay:  rc.RouteResponseSelectionExpression != "",
		Timeout: time.Duration(ic.TimeoutInMillis) * time.Millisecond,
	}
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
	switch ic.IntegrationType {
	case "MOCK":
		r.Integration = &mockIntegration{route: r}
	case "NATS":
		r.Integration = &natsIntegration{subject: ic.IntegrationURI, nc: deps.NATS, state: deps.NATSState}
	case "HTTP_PROXY", "HTTP":
		method := ic.IntegrationMethod
		if method == "" {
			method = "POST"
		}
		r.Integration = &httpIntegration{url: ic.IntegrationURI, method: method, client: deps.HTTP,
			params: params, route: r, proxy: ic.IntegrationType == "HTTP_PROXY"}
	default:
		errs = append(errs, cfg.Errorf(path+".integration.integrationType", "unsupported integrationType %q", ic.IntegrationType))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

// ResolveStage finds the API and stage a request addresses: the API by Host (its first label being an
// API id), else the default API; the stage by the first path segment.
func (d *Deployment) ResolveStage(host, path string) (*Stage, bool) {
	api := d.apiForHost(host)
	if api == nil || api.ProtocolType != "WEBSOCKET" {
		return nil, false
	}
	name := strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	st, ok := api.Stages[name]
	return st, ok
}

func (d *Deployment) apiForHost(host string) *API {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		if api, ok := d.byID[strings.ToLower(host[:i])]; ok {
			return api
		}
	}
	return d.defaultAPI
}

// API returns the API with the given id.
func (d *Deployment) API(id string) (*API, bool) {
	a, ok := d.byID[id]
	return a, ok
}
