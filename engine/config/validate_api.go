package config

import (
	"fmt"
	"strings"
)

func (c *Config) validateAPIs(p *problems) {
	names := map[string]int{}
	ids := map[string]int{}
	for i := range c.APIs {
		a := &c.APIs[i]
		path := fmt.Sprintf("apis[%d]", i)
		if a.Name == "" {
			p.add(path+".name", "required")
		} else if j, dup := names[a.Name]; dup {
			p.add(path+".name", "%q is already used by apis[%d]", a.Name, j)
		} else {
			names[a.Name] = i
		}
		if a.APIID != "" && !validAPIID(a.APIID) {
			p.add(path+".apiId", "must be 10 characters of a-z and 0-9")
		} else if a.APIID != "" || a.Name != "" {
			id := a.ID()
			if j, dup := ids[id]; dup {
				p.add(path+".apiId", "%q is already used by apis[%d]", id, j)
			} else {
				ids[id] = i
			}
		}
		switch a.ProtocolType {
		case "":
			p.add(path+".protocolType", "required")
		case ProtocolWebSocket:
			validateWebSocketAPI(p, path, a)
		case ProtocolHTTP, ProtocolREST:
			p.add(path+".protocolType", "%s APIs are not supported yet", a.ProtocolType)
		default:
			p.add(path+".protocolType", "must be one of %s, %s, %s", ProtocolWebSocket, ProtocolHTTP, ProtocolREST)
		}
	}
}

func validateWebSocketAPI(p *problems, path string, a *API) {
	if len(a.Routes) == 0 {
		p.add(path+".routes", "at least one route is required")
	}
	keys := map[string]int{}
	for j := range a.Routes {
		r := &a.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		if r.RouteKey == "" {
			p.add(rpath+".routeKey", "required")
		} else if k, dup := keys[r.RouteKey]; dup {
			p.add(rpath+".routeKey", "%q is already used by %s.routes[%d]", r.RouteKey, path, k)
		} else {
			keys[r.RouteKey] = j
		}
		switch r.RouteResponseSelectionExpression {
		case "":
		case "$default":
			if r.RouteKey == "$disconnect" {
				p.add(rpath+".routeResponseSelectionExpression", "not allowed on the $disconnect route")
			}
		default:
			p.add(rpath+".routeResponseSelectionExpression", `must be "" (one-way) or "$default" (two-way)`)
		}
		validateIntegration(p, rpath+".integration", &r.Integration)
	}

	if len(a.Stages) == 0 {
		p.add(path+".stages", "at least one stage is required")
	}
	stages := map[string]int{}
	for k := range a.Stages {
		name := a.Stages[k].StageName
		spath := fmt.Sprintf("%s.stages[%d].stageName", path, k)
		switch {
		case name == "":
			p.add(spath, "required")
		case !validStageName(name):
			p.add(spath, "must be $default or up to 128 letters, digits, '-' and '_'")
		default:
			if l, dup := stages[name]; dup {
				p.add(spath, "%q is already used by %s.stages[%d]", name, path, l)
			} else {
				stages[name] = k
			}
		}
	}
}

// validStageName reports whether name is "$default" or 1 to 128 of [A-Za-z0-9_-], as API
// Gateway allows.
func validStageName(name string) bool {
	if name == "$default" {
		return true
	}
	if len(name) == 0 || len(name) > 128 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func validateIntegration(p *problems, path string, in *Integration) {
	switch in.IntegrationType {
	case "":
		p.add(path+".integrationType", "required")
	case IntegrationMock:
		if in.IntegrationURI != "" {
			p.add(path+".integrationUri", "must be empty for integrationType MOCK")
		}
	case IntegrationNATS:
		if in.IntegrationURI == "" {
			p.add(path+".integrationUri", "required for integrationType NATS")
		} else if err := checkSubject(in.IntegrationURI); err != nil {
			p.add(path+".integrationUri", "%v", err)
		}
	case IntegrationHTTP, IntegrationHTTPProxy:
		if in.IntegrationURI == "" {
			p.add(path+".integrationUri", "required for integrationType %s", in.IntegrationType)
		} else if err := checkHTTPURL(in.IntegrationURI); err != nil {
			p.add(path+".integrationUri", "%v", err)
		}
	default:
		p.add(path+".integrationType", "must be one of %s, %s, %s, %s",
			IntegrationMock, IntegrationNATS, IntegrationHTTPProxy, IntegrationHTTP)
	}

	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	if m := in.IntegrationMethod; m != "" && !oneOf(m, methods) {
		p.add(path+".integrationMethod", "must be one of %s", strings.Join(methods, ", "))
	}
	if t := in.TimeoutInMillis; t != 0 && (t < 50 || t > 29000) {
		p.add(path+".timeoutInMillis", "must be between 50 and 29000")
	}
	passthrough := []string{PassthroughWhenNoMatch, PassthroughNever, PassthroughWhenNoTemplates}
	if b := in.PassthroughBehavior; b != "" && !oneOf(b, passthrough) {
		p.add(path+".passthroughBehavior", "must be one of %s", strings.Join(passthrough, ", "))
	}
	if v := in.PayloadFormatVersion; v != "" && v != "1.0" && v != "2.0" {
		p.add(path+".payloadFormatVersion", `must be "1.0" or "2.0"`)
	}
}
