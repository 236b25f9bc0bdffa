package config

import (
	"fmt"
	"strings"
)

// validateRESTAPI checks a REST API: its API key source, binary media types, resources with
// their methods, gateway responses and stages.
func validateRESTAPI(p *problems, path string, a *API) {
	if s := a.APIKeySource; s != "" && s != APIKeySourceHeader && s != APIKeySourceAuthorizer {
		p.add(path+".apiKeySource", "must be %s or %s", APIKeySourceHeader, APIKeySourceAuthorizer)
	}
	for i, t := range a.BinaryMediaTypes {
		if !validMediaRange(t) {
			p.add(fmt.Sprintf("%s.binaryMediaTypes[%d]", path, i), "must be a media type like image/png, image/* or */*")
		}
	}
	validateResources(p, path, a)
	validateGatewayResponses(p, path, a)
	validateStages(p, path, a)
}

// variableChild is the variable segment ({id}, {proxy+}) a resource path has below a parent
// path, and the resource that introduced it.
type variableChild struct {
	text     string
	resource int
}

func validateResources(p *problems, path string, a *API) {
	if len(a.Resources) == 0 {
		p.add(path+".resources", "at least one resource is required")
	}
	paths := map[string]int{}
	variables := map[string]variableChild{}
	for j := range a.Resources {
		r := &a.Resources[j]
		rpath := fmt.Sprintf("%s.resources[%d]", path, j)
		segs, err := parseResourcePath(r.Path)
		pathOK := false
		switch {
		case r.Path == "":
			p.add(rpath+".path", "required")
		case err != nil:
			p.add(rpath+".path", "%v", err)
		default:
			pathOK = true
			if k, dup := paths[r.Path]; dup {
				p.add(rpath+".path", "%q is already used by %s.resources[%d]", r.Path, path, k)
				break
			}
			paths[r.Path] = j
			checkVariableSiblings(p, rpath+".path", path, j, segs, variables)
		}
		var params map[string]bool
		if pathOK {
			params = pathParameters(segs)
		}
		validateMethods(p, rpath, r, params)
	}
}

// checkVariableSiblings reports a resource path whose variable segment sits below a parent path
// that already has another variable child (/pets/{id} next to /pets/{petId}): API Gateway allows
// one, or the request path would be ambiguous.
func checkVariableSiblings(p *problems, fieldPath, apiPath string, j int, segs []pathSegment, variables map[string]variableChild) {
	for i, s := range segs {
		if s.param == "" {
			continue
		}
		parent := "/" + joinSegments(segs[:i])
		prev, ok := variables[parent]
		if !ok {
			variables[parent] = variableChild{text: s.text, resource: j}
			continue
		}
		if prev.text != s.text {
			p.add(fieldPath, "%s under %q conflicts with %s of %s.resources[%d]: a path has at most one variable child",
				s.text, parent, prev.text, apiPath, prev.resource)
			return
		}
	}
}

func joinSegments(segs []pathSegment) string {
	texts := make([]string, len(segs))
	for i, s := range segs {
		texts[i] = s.text
	}
	return strings.Join(texts, "/")
}

// validateMethods checks a resource's methods; params are the resource path's parameters, nil
// when the path itself is invalid.
func validateMethods(p *problems, rpath string, r *Resource, params map[string]bool) {
	if len(r.Methods) == 0 {
		p.add(rpath+".methods", "at least one method is required")
	}
	seen := map[string]int{}
	for k := range r.Methods {
		m := &r.Methods[k]
		mpath := fmt.Sprintf("%s.methods[%d]", rpath, k)
		switch {
		case m.HTTPMethod == "":
			p.add(mpath+".httpMethod", "required")
		case !oneOf(m.HTTPMethod, routeMethods()):
			p.add(mpath+".httpMethod", "must be one of %s", strings.Join(routeMethods(), ", "))
		default:
			if l, dup := seen[m.HTTPMethod]; dup {
				p.add(mpath+".httpMethod", "%q is already used by %s.methods[%d]", m.HTTPMethod, rpath, l)
			} else {
				seen[m.HTTPMethod] = k
			}
		}
		validateMethod(p, mpath, r.Path, m, params)
	}
}

func validateGatewayResponses(p *problems, path string, a *API) {
	types := gatewayResponseTypes()
	seen := map[string]int{}
	for i := range a.GatewayResponses {
		g := &a.GatewayResponses[i]
		gpath := fmt.Sprintf("%s.gatewayResponses[%d]", path, i)
		switch {
		case g.ResponseType == "":
			p.add(gpath+".responseType", "required")
		case !oneOf(g.ResponseType, types):
			p.add(gpath+".responseType", "must be one of %s", strings.Join(types, ", "))
		default:
			if j, dup := seen[g.ResponseType]; dup {
				p.add(gpath+".responseType", "%q is already used by %s.gatewayResponses[%d]", g.ResponseType, path, j)
			} else {
				seen[g.ResponseType] = i
			}
		}
		if g.StatusCode != "" && !validStatusCode(g.StatusCode) {
			p.add(gpath+".statusCode", statusCodeShape)
		}
		for _, key := range sortedKeys(g.ResponseParameters) {
			kpath := keyPath(gpath+".responseParameters", key)
			if _, _, ok := parameterName(key, "gatewayresponse.", "header"); !ok {
				p.add(kpath, "must be gatewayresponse.header.NAME")
			} else if g.ResponseParameters[key] == "" {
				p.add(kpath, "needs a source: method.request.*, stageVariables.*, context.* or a 'quoted literal'")
			}
		}
	}
}

const statusCodeShape = "must be a 3-digit HTTP status code, 100 to 599"
