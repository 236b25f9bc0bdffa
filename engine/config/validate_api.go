package config

import (
	"fmt"
	"strings"

	"github.com/portico-gateway/portico/engine/integration"
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
		if a.APIKeySelectionExpression != "" && a.ProtocolType == ProtocolWebSocket {
			p.add(path+".apiKeySelectionExpression", "API keys and usage plans are not served yet; an API key selection would protect nothing, so it is refused")
		}
		validateAuthorizers(p, path, a)
		switch a.ProtocolType {
		case "":
			p.add(path+".protocolType", "required")
		case ProtocolWebSocket:
			validateForeignFields(p, path, a)
			validateRoutes(p, path, a)
			validateStages(p, path, a)
		case ProtocolHTTP:
			validateForeignFields(p, path, a)
			validateHTTPAPI(p, path, a)
		case ProtocolREST:
			validateForeignFields(p, path, a)
			validateRESTAPI(p, path, a)
		default:
			p.add(path+".protocolType", "must be one of %s, %s, %s", ProtocolWebSocket, ProtocolHTTP, ProtocolREST)
		}
	}
}

// validateForeignFields reports the API fields set that a's protocol type does not have.
func validateForeignFields(p *problems, path string, a *API) {
	webSocketAndHTTP := []string{ProtocolWebSocket, ProtocolHTTP}
	fields := []struct {
		name      string
		set       bool
		protocols []string
	}{
		{"routeSelectionExpression", a.RouteSelectionExpression != "", webSocketAndHTTP},
		{"apiKeySelectionExpression", a.APIKeySelectionExpression != "", []string{ProtocolWebSocket}},
		{"routes", len(a.Routes) > 0, webSocketAndHTTP},
		{"corsConfiguration", a.CORSConfiguration != nil, []string{ProtocolHTTP}},
		{"apiKeySource", a.APIKeySource != "", []string{ProtocolREST}},
		{"binaryMediaTypes", len(a.BinaryMediaTypes) > 0, []string{ProtocolREST}},
		{"resources", len(a.Resources) > 0, []string{ProtocolREST}},
		{"gatewayResponses", len(a.GatewayResponses) > 0, []string{ProtocolREST}},
	}
	for _, f := range fields {
		if f.set && !oneOf(a.ProtocolType, f.protocols) {
			p.add(path+"."+f.name, "not allowed in %s APIs, only in %s APIs", a.ProtocolType, strings.Join(f.protocols, " and "))
		}
	}
}

// validateRoutes checks the routes of a WEBSOCKET or HTTP API.
func validateRoutes(p *problems, path string, a *API) {
	if len(a.Routes) == 0 {
		p.add(path+".routes", "at least one route is required")
	}
	keys := map[string]int{}
	for j := range a.Routes {
		r := &a.Routes[j]
		rpath := fmt.Sprintf("%s.routes[%d]", path, j)
		if r.RouteKey == "" {
			p.add(rpath+".routeKey", "required")
		} else if err := checkRouteKey(a.ProtocolType, r.RouteKey); err != nil {
			p.add(rpath+".routeKey", "%v", err)
		} else if k, dup := keys[r.RouteKey]; dup {
			p.add(rpath+".routeKey", "%q is already used by %s.routes[%d]", r.RouteKey, path, k)
		} else {
			keys[r.RouteKey] = j
		}
		if a.ProtocolType == ProtocolHTTP {
			if r.RouteResponseSelectionExpression != "" {
				p.add(rpath+".routeResponseSelectionExpression", "not allowed in HTTP APIs, only in WEBSOCKET APIs")
			}
			validateHTTPIntegration(p, rpath+".integration", &r.Integration)
			continue
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
}

// validateStages checks an API's stages. WEBSOCKET and REST APIs need one; an HTTP API without
// stages gets the $default stage. REST APIs have no $default stage and spell stage variables
// "variables", the others "stageVariables".
func validateStages(p *problems, path string, a *API) {
	rest := a.ProtocolType == ProtocolREST
	if len(a.Stages) == 0 && a.ProtocolType != ProtocolHTTP {
		p.add(path+".stages", "at least one stage is required")
	}
	stages := map[string]int{}
	for k := range a.Stages {
		s := &a.Stages[k]
		spath := fmt.Sprintf("%s.stages[%d]", path, k)
		switch name := s.StageName; {
		case name == "":
			p.add(spath+".stageName", "required")
		case rest && name == defaultStageName:
			p.add(spath+".stageName", "REST APIs have no $default stage")
		case !validStageName(name) && rest:
			p.add(spath+".stageName", "must be up to 128 letters, digits, '-' and '_'")
		case !validStageName(name):
			p.add(spath+".stageName", "must be $default or up to 128 letters, digits, '-' and '_'")
		default:
			if l, dup := stages[name]; dup {
				p.add(spath+".stageName", "%q is already used by %s.stages[%d]", name, path, l)
			} else {
				stages[name] = k
			}
		}
		if als := s.AccessLogSettings; als != nil {
			if als.Format == "" {
				p.add(spath+".accessLogSettings.format", "required")
			}
			if als.DestinationArn != "" {
				p.add(spath+".accessLogSettings.destinationArn", "access logs go to the node's log (logger \"access\"); remove destinationArn")
			}
		}
		if rest && len(s.StageVariables) > 0 {
			p.add(spath+".stageVariables", `REST stages spell it "variables"`)
		}
		if !rest && len(s.Variables) > 0 {
			p.add(spath+".variables", `%s stages spell it "stageVariables"`, a.ProtocolType)
		}
	}
}

// validStageName reports whether name is "$default" or 1 to 128 of [A-Za-z0-9_-], as API
// Gateway allows.
func validStageName(name string) bool {
	if name == defaultStageName {
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

// validateIntegration checks the integration of a WEBSOCKET route.
func validateIntegration(p *problems, path string, in *Integration) {
	checkIntegrationType(p, path, "integrationType", "integrationUri", ProtocolWebSocket, in.IntegrationType, in.IntegrationURI)
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	if m := in.IntegrationMethod; m != "" && !oneOf(m, methods) {
		p.add(path+".integrationMethod", "must be one of %s", strings.Join(methods, ", "))
	}
	checkTimeout(p, path+".timeoutInMillis", in.TimeoutInMillis, defaultTimeoutInMillis)
	checkPassthrough(p, path+".passthroughBehavior", in.PassthroughBehavior)
	if v := in.PayloadFormatVersion; v != "" && v != "1.0" && v != "2.0" {
		p.add(path+".payloadFormatVersion", `must be "1.0" or "2.0"`)
	}
}

// unknownType stands for an integration type not in the registry, so rules that depend on the type
// pass over it (its own problem is reported once, on the type field).
var unknownType = &integration.Type{Payload: integration.PayloadHTTP, Proxy: true}

// typeOf returns the registered integration type named name, or unknownType.
func typeOf(name string) *integration.Type {
	if t, ok := integration.Lookup(name); ok {
		return t
	}
	return unknownType
}

// checkIntegrationType checks an integration's type against the registry of integration types and
// its URI against what the type's URI names: nothing for MOCK, a NATS subject, an http(s) URL.
// typeField and uriField are the fields' names in the API kind's spelling.
func checkIntegrationType(p *problems, path, typeField, uriField, protocol, typ, uri string) {
	t, ok := integration.Lookup(typ)
	switch {
	case typ == "":
		p.add(path+"."+typeField, "required")
		return
	case !ok:
		p.add(path+"."+typeField, "must be one of %s", integration.Names(protocol))
		return
	}
	if err := t.Check(protocol); err != nil {
		p.add(path+"."+typeField, "%v", err)
		return
	}
	upath := path + "." + uriField
	switch {
	case t.Target == integration.TargetNone:
		if uri != "" {
			p.add(upath, "must be empty for %s %s", typeField, typ)
		}
	case uri == "":
		p.add(upath, "required for %s %s", typeField, typ)
	case t.Target == integration.TargetSubject:
		if err := checkSubject(uri); err != nil {
			p.add(upath, "%v", err)
		}
	default:
		if err := checkHTTPURL(uri); err != nil {
			p.add(upath, "%v", err)
		}
	}
}

// checkTimeout checks an integration timeout: zero (the default) or 50 to max milliseconds.
func checkTimeout(p *problems, path string, t, max int) {
	if t != 0 && (t < 50 || t > max) {
		p.add(path, "must be between 50 and %d", max)
	}
}

func checkPassthrough(p *problems, path, b string) {
	passthrough := []string{PassthroughWhenNoMatch, PassthroughNever, PassthroughWhenNoTemplates}
	if b != "" && !oneOf(b, passthrough) {
		p.add(path, "must be one of %s", strings.Join(passthrough, ", "))
	}
}
