package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// validateMethod checks one REST method: its request parameters (path parameters must be in
// resourcePath, whose parameters are params, nil when the path is invalid), request models,
// method responses and integration.
func validateMethod(p *problems, mpath, resourcePath string, m *Method, params map[string]bool) {
	if m.APIKeyRequired {
		// Accepting it would leave the method open to every caller.
		p.add(mpath+".apiKeyRequired", "API keys and usage plans are not served yet; a method that requires a key cannot be protected, so it is refused")
	}
	for _, key := range sortedKeys(m.RequestParameters) {
		kpath := keyPath(mpath+".requestParameters", key)
		loc, name, ok := parameterName(key, "method.request.", requestLocations()...)
		switch {
		case !ok:
			p.add(kpath, "must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME")
		case loc == "path" && params != nil && !params[name]:
			p.add(kpath, "path parameter %q is not in the resource path %q", name, resourcePath)
		}
	}
	for _, ct := range sortedKeys(m.RequestModels) {
		if err := checkSchema(m.RequestModels[ct]); err != nil {
			p.add(keyPath(mpath+".requestModels", ct), "%v", err)
		}
	}
	statuses := map[string]int{}
	for i := range m.MethodResponses {
		r := &m.MethodResponses[i]
		rpath := fmt.Sprintf("%s.methodResponses[%d]", mpath, i)
		checkStatusCode(p, rpath, r.StatusCode, statuses, i, mpath+".methodResponses")
		for _, key := range sortedKeys(r.ResponseParameters) {
			if _, _, ok := parameterName(key, "method.response.", "header"); !ok {
				p.add(keyPath(rpath+".responseParameters", key), "must be method.response.header.NAME")
			}
		}
	}
	validateMethodIntegration(p, mpath, m, params, statuses)
}

func requestLocations() []string { return []string{"path", "querystring", "header"} }

// checkSchema checks that a request model is a JSON Schema: a JSON object.
func checkSchema(s string) error {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return fmt.Errorf("is not valid JSON: %w", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return errors.New("must be a JSON Schema, a JSON object")
	}
	return nil
}

// validateMethodIntegration checks a REST method's integration. statuses index the method's
// responses by status code.
func validateMethodIntegration(p *problems, mpath string, m *Method, params map[string]bool, statuses map[string]int) {
	in := &m.Integration
	path := mpath + ".integration"
	checkIntegrationType(p, path, "type", "uri", ProtocolREST, in.Type, in.URI)
	if v := in.HTTPMethod; v != "" && !oneOf(v, routeMethods()) {
		p.add(path+".httpMethod", "must be one of %s", strings.Join(routeMethods(), ", "))
	}
	checkTimeout(p, path+".timeoutInMillis", in.TimeoutInMillis, defaultTimeoutInMillis)
	checkPassthrough(p, path+".passthroughBehavior", in.PassthroughBehavior)
	if typeOf(in.Type).Proxy {
		if len(in.RequestTemplates) > 0 {
			p.add(path+".requestTemplates", "only for type MOCK or HTTP; a %s integration passes the request through", in.Type)
		}
		if len(in.IntegrationResponses) > 0 {
			p.add(path+".integrationResponses", "only for type MOCK or HTTP; a %s integration passes the response through", in.Type)
		}
	}
	for _, key := range sortedKeys(in.RequestParameters) {
		kpath := keyPath(path+".requestParameters", key)
		if _, _, ok := parameterName(key, "integration.request.", requestLocations()...); !ok {
			p.add(kpath, "must be integration.request.path.NAME, integration.request.querystring.NAME or integration.request.header.NAME")
		} else if err := checkRequestSource(in.RequestParameters[key], m, params); err != nil {
			p.add(kpath, "%v", err)
		}
	}
	validateIntegrationResponses(p, path, m, statuses)
}

// checkRequestSource checks the source of an integration request parameter. Method request
// parameters must be declared in the method's requestParameters, or be a parameter of the
// resource path.
func checkRequestSource(src string, m *Method, params map[string]bool) error {
	switch {
	case src == "method.request.body" || strings.HasPrefix(src, "method.request.body."):
		return nil
	case strings.HasPrefix(src, "method.request."):
		loc, name, ok := parameterName(src, "method.request.", requestLocations()...)
		if !ok {
			break
		}
		if _, declared := m.RequestParameters[src]; !declared && !(loc == "path" && params[name]) {
			return fmt.Errorf("%s is not declared in the method's requestParameters", src)
		}
		return nil
	case len(src) >= 2 && strings.HasPrefix(src, "'") && strings.HasSuffix(src, "'"):
		return nil
	case len(src) > len("context.") && strings.HasPrefix(src, "context."),
		len(src) > len("stageVariables.") && strings.HasPrefix(src, "stageVariables."):
		return nil
	}
	return errors.New("source must be method.request.{path|querystring|header}.NAME, method.request.body[.JSONPath], context.NAME, stageVariables.NAME or a 'quoted literal'")
}

// validateIntegrationResponses checks the integration responses of m against its method
// responses (statuses, by status code), when it has any.
func validateIntegrationResponses(p *problems, path string, m *Method, statuses map[string]int) {
	codes := map[string]int{}
	patterns := map[string]int{}
	for i := range m.Integration.IntegrationResponses {
		r := &m.Integration.IntegrationResponses[i]
		rpath := fmt.Sprintf("%s.integrationResponses[%d]", path, i)
		var declared *MethodResponse
		if checkStatusCode(p, rpath, r.StatusCode, codes, i, path+".integrationResponses") {
			if j, ok := statuses[r.StatusCode]; ok {
				declared = &m.MethodResponses[j]
			} else if len(m.MethodResponses) > 0 {
				p.add(rpath+".statusCode", "%q is not one of the method's methodResponses", r.StatusCode)
			}
		}
		if _, err := regexp.Compile(r.SelectionPattern); err != nil {
			p.add(rpath+".selectionPattern", "is not a valid regular expression: %s", regexpProblem(err))
		} else if j, dup := patterns[r.SelectionPattern]; dup && r.SelectionPattern == "" {
			p.add(rpath, "a second default response (no selectionPattern); the first is %s.integrationResponses[%d]", path, j)
		} else if dup {
			p.add(rpath+".selectionPattern", "%q is already used by %s.integrationResponses[%d]", r.SelectionPattern, path, j)
		} else {
			patterns[r.SelectionPattern] = i
		}
		for _, key := range sortedKeys(r.ResponseParameters) {
			kpath := keyPath(rpath+".responseParameters", key)
			switch _, _, ok := parameterName(key, "method.response.", "header"); {
			case !ok:
				p.add(kpath, "must be method.response.header.NAME")
			case r.ResponseParameters[key] == "":
				p.add(kpath, "needs a source: integration.response.header.NAME, integration.response.body[.JSONPath] or a 'quoted literal'")
			case declared != nil && !hasKey(declared.ResponseParameters, key):
				p.add(kpath, "%s is not declared in the responseParameters of the method response %q", key, r.StatusCode)
			}
		}
	}
}

// regexpProblem words a regular expression's compile error without the package's prefix.
func regexpProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: `%s`", se.Code, se.Expr)
	}
	return err.Error()
}

func hasKey[V any](m map[string]V, key string) bool {
	_, ok := m[key]
	return ok
}

// checkStatusCode checks the statusCode of item i of list: present, three digits, and not used by an
// earlier item (seen maps codes to the items that used them first). It reports whether the code is
// well formed.
func checkStatusCode(p *problems, itemPath, code string, seen map[string]int, i int, list string) bool {
	switch {
	case code == "":
		p.add(itemPath+".statusCode", "required")
		return false
	case !validStatusCode(code):
		p.add(itemPath+".statusCode", statusCodeShape)
		return false
	}
	if j, dup := seen[code]; dup {
		p.add(itemPath+".statusCode", "%q is already used by %s[%d]", code, list, j)
	} else {
		seen[code] = i
	}
	return true
}
