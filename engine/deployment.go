package engine

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/engine/integration"
)

// Deployment is an immutable snapshot of every API in a config, compiled once and only read
// afterwards. Stages point into it; a new config builds a new Deployment.
type Deployment struct {
	APIs       []*API
	byID       map[string]*API
	defaultAPI *API
	Region     string
}

// API is one compiled API. It holds exactly one adapter, of its protocol type.
type API struct {
	ID           string
	Name         string
	ProtocolType string
	Stages       map[string]*Stage
	adapter      adapter
}

// adapter is the part of an API that belongs to its kind: *webSocketAPI, *httpAPI or *restAPI. Each
// owns its route matching, its event encoding and the mapping of integration failures to its own
// dialect.
type adapter interface {
	// routeKeys counts the API's routes (REST: its methods).
	routeKeys() int
}

// RouteCount is the number of the API's routes (for a REST API, its methods).
func (a *API) RouteCount() int { return a.adapter.routeKeys() }

// webSocket returns the API's WebSocket adapter; stages of other kinds never reach the WebSocket
// paths (ResolveStage finds WebSocket APIs only), so an empty adapter stands in.
func (a *API) webSocket() *webSocketAPI {
	if w, ok := a.adapter.(*webSocketAPI); ok {
		return w
	}
	return emptyWebSocketAPI
}

var emptyWebSocketAPI = &webSocketAPI{routes: map[string]*Route{}}

// Stage is a named stage of an API with its variables.
type Stage struct {
	API       *API
	Name      string
	Variables map[string]string
	// metrics caches the metrics of the stage's routes.
	metrics stageMetrics
	// access is the stage's access log format; nil: none.
	access *accessFormat
}

// Deps are what integrations need from the node: the NATS connection and its state, and the HTTP
// transport to backends.
type Deps struct {
	NATS      integration.NATSConn
	NATSState *NATSState
	// Transport carries HTTP integrations; nil: http.DefaultTransport.
	Transport http.RoundTripper
}

func (deps Deps) integrationDeps() integration.Deps {
	d := integration.Deps{NATS: deps.NATS, Transport: deps.Transport}
	if deps.NATSState != nil {
		d.NATSState = deps.NATSState
	}
	return d
}

// compilers build each API kind's adapter.
var compilers = map[string]func(cfg *config.Config, path string, ac *config.API, api *API, deps Deps) config.Errors{
	config.ProtocolWebSocket: compileWebSocketAPI,
	config.ProtocolHTTP:      compileHTTPAPI,
	config.ProtocolREST:      compileRESTAPI,
}

// Compile builds a Deployment from a validated config. Problems (selection expressions, templates)
// come back as config.Errors positioned in the config file.
func Compile(cfg *config.Config, deps Deps) (*Deployment, error) {
	d := &Deployment{byID: make(map[string]*API), Region: cfg.Node.Region}
	var errs config.Errors
	for i := range cfg.APIs {
		ac := &cfg.APIs[i]
		path := fmt.Sprintf("apis[%d]", i)
		api := &API{ID: ac.APIID, Name: ac.Name, ProtocolType: ac.ProtocolType, Stages: make(map[string]*Stage)}
		if api.ID == "" {
			api.ID = config.DeriveAPIID(ac.Name)
		}
		compile, ok := compilers[ac.ProtocolType]
		if !ok {
			errs = append(errs, cfg.Errorf(path+".protocolType", "unsupported protocolType %q", ac.ProtocolType))
			continue
		}
		if aerrs := compile(cfg, path, ac, api, deps); len(aerrs) > 0 {
			errs = append(errs, aerrs...)
			continue
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

// stagesOf adds the configured stages to api; REST stages spell their variables "variables".
func stagesOf(api *API, stages []config.Stage, rest bool) {
	for _, sc := range stages {
		vars := sc.StageVariables
		if rest {
			vars = sc.Variables
		}
		st := &Stage{API: api, Name: sc.StageName, Variables: vars}
		if sc.AccessLogSettings != nil {
			st.access = compileAccessFormat(sc.AccessLogSettings.Format)
		}
		api.Stages[sc.StageName] = st
	}
}

// ResolveStage finds the API and stage a request addresses: the API by Host (its first label being an
// API id), else the default API; the stage by the first path segment.
func (d *Deployment) ResolveStage(host, path string) (*Stage, bool) {
	api := d.apiForHost(host)
	if api == nil {
		return nil, false
	}
	if _, ws := api.adapter.(*webSocketAPI); !ws {
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
