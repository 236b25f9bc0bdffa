package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/routeselect"
)

// validateHTTPAPI checks what is particular to HTTP APIs: the fixed route selection expression,
// "METHOD /path" route keys, their integrations and the CORS configuration.
func validateHTTPAPI(p *problems, path string, a *API) {
	if e := a.RouteSelectionExpression; e != "" && e != HTTPRouteSelectionExpression {
		p.add(path+".routeSelectionExpression", "must be %q in HTTP APIs", HTTPRouteSelectionExpression)
	}
	validateRoutes(p, path, a)
	if a.CORSConfiguration != nil {
		validateCORS(p, path+".corsConfiguration", a.CORSConfiguration)
	}
	validateStages(p, path, a)
}

// validateHTTPIntegration checks the integration of an HTTP API's route.
func validateHTTPIntegration(p *problems, path string, in *Integration) {
	checkIntegrationType(p, path, "integrationType", "integrationUri", ProtocolHTTP, in.IntegrationType, in.IntegrationURI)
	if m := in.IntegrationMethod; m != "" && !oneOf(m, routeMethods()) {
		p.add(path+".integrationMethod", "must be one of %s", strings.Join(routeMethods(), ", "))
	}
	checkTimeout(p, path+".timeoutInMillis", in.TimeoutInMillis, defaultHTTPTimeoutInMillis)
	switch v := in.PayloadFormatVersion; {
	case v != "" && v != "1.0" && v != "2.0":
		p.add(path+".payloadFormatVersion", `must be "1.0" or "2.0"`)
	case v == "2.0" && typeOf(in.IntegrationType).Payload == integration.PayloadHTTP:
		p.add(path+".payloadFormatVersion", `must be "1.0" for integrationType %s`, in.IntegrationType)
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		// MOCK's templates are Portico's way to give a mock its answer body.
		{"templates", len(in.Templates) > 0 && typeOf(in.IntegrationType).Payload != integration.PayloadTemplate},
		{"templateSelectionExpression", in.TemplateSelectionExpression != ""},
		{"passthroughBehavior", in.PassthroughBehavior != ""},
	} {
		if f.set {
			p.add(path+"."+f.name, "not allowed in HTTP APIs, which have no mapping templates")
		}
	}
	mappable := in.IntegrationType == IntegrationHTTPProxy
	if len(in.RequestParameters) > 0 && !mappable {
		p.add(path+".requestParameters", "parameter mapping is only for integrationType HTTP_PROXY in HTTP APIs")
	}
	if len(in.ResponseParameters) > 0 && !mappable {
		p.add(path+".responseParameters", "parameter mapping is only for integrationType HTTP_PROXY in HTTP APIs")
	}
	for _, key := range sortedKeys(in.RequestParameters) {
		kpath := keyPath(path+".requestParameters", key)
		if err := checkParameterMappingKey(key); err != nil {
			p.add(kpath, "%v", err)
		} else if err := checkMappingValue(in.RequestParameters[key], false); err != nil {
			p.add(kpath, "%v", err)
		}
	}
	for _, status := range sortedKeys(in.ResponseParameters) {
		spath := keyPath(path+".responseParameters", status)
		if n, err := strconv.Atoi(status); err != nil || n < 200 || n > 599 || len(status) != 3 {
			p.add(spath, "must be a status code from 200 to 599")
			continue
		}
		m := in.ResponseParameters[status]
		for _, key := range sortedKeys(m) {
			kpath := keyPath(spath, key)
			if err := checkResponseMappingKey(key); err != nil {
				p.add(kpath, "%v", err)
			} else if err := checkMappingValue(m[key], true); err != nil {
				p.add(kpath, "%v", err)
			}
		}
	}
}

// checkResponseMappingKey checks the key of an HTTP API response parameter mapping:
// "overwrite:statuscode", or "append:", "overwrite:" or "remove:" followed by header.NAME.
func checkResponseMappingKey(key string) error {
	if key == "overwrite:statuscode" {
		return nil
	}
	action, target, ok := strings.Cut(key, ":")
	name, isHeader := strings.CutPrefix(target, "header.")
	if !ok || !oneOf(action, []string{"append", "overwrite", "remove"}) || !isHeader {
		return errors.New(`must be "overwrite:statuscode", or "append:", "overwrite:" or "remove:" followed by header.NAME`)
	}
	if !validToken(name) {
		return fmt.Errorf("%q is not a valid header name", name)
	}
	return nil
}

// checkMappingValue checks a parameter mapping's value: static text, or $request.* (requests),
// $response.* (responses), $context.* and $stageVariables.* references, alone or interpolated
// (${request.header.x}). Request bodies stream to HTTP_PROXY backends, so $request.body is not a
// source.
func checkMappingValue(v string, response bool) error {
	e, err := routeselect.Parse(v)
	if err != nil {
		return err
	}
	for _, ref := range e.Variables() {
		switch {
		case strings.HasPrefix(ref, "request.body"):
			return fmt.Errorf("$%s: request bodies stream to the backend and cannot be mapped", ref)
		case strings.HasPrefix(ref, "integration."):
			return fmt.Errorf("$%s: not a parameter mapping source", ref)
		case response && strings.HasPrefix(ref, "request."):
			return fmt.Errorf("$%s: response mappings take $response, $context and $stageVariables values", ref)
		case !response && strings.HasPrefix(ref, "response."):
			return fmt.Errorf("$%s: request mappings cannot read the response", ref)
		}
	}
	return nil
}

// checkParameterMappingKey checks the key of an HTTP API parameter mapping:
// "append:", "overwrite:" or "remove:" followed by header.NAME or querystring.NAME, or
// "overwrite:path".
func checkParameterMappingKey(key string) error {
	shape := errors.New(`must be "append:", "overwrite:" or "remove:" followed by header.NAME or querystring.NAME, or "overwrite:path"`)
	action, target, ok := strings.Cut(key, ":")
	if !ok || !oneOf(action, []string{"append", "overwrite", "remove"}) {
		return shape
	}
	if target == "path" {
		if action != "overwrite" {
			return errors.New(`the path can only be overwritten ("overwrite:path")`)
		}
		return nil
	}
	loc, name, _ := strings.Cut(target, ".")
	switch loc {
	case "header":
		if !validToken(name) {
			return fmt.Errorf("%q is not a valid header name", name)
		}
	case "querystring":
		if name == "" || hasSpaceOrControl(name) {
			return fmt.Errorf("%q is not a valid query string parameter name", name)
		}
	default:
		return shape
	}
	return nil
}

// validateCORS checks a CORS configuration.
func validateCORS(p *problems, path string, c *CORS) {
	wildcard := false
	for i, o := range c.AllowOrigins {
		if o == "*" {
			wildcard = true
		} else if !validOrigin(o) {
			p.add(fmt.Sprintf("%s.allowOrigins[%d]", path, i), `must be "*" or an origin like https://example.com`)
		}
	}
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	for i, m := range c.AllowMethods {
		if m != "*" && !oneOf(m, methods) {
			p.add(fmt.Sprintf("%s.allowMethods[%d]", path, i), `must be "*" or one of %s`, strings.Join(methods, ", "))
		}
	}
	for _, hs := range []struct {
		name    string
		headers []string
	}{{"allowHeaders", c.AllowHeaders}, {"exposeHeaders", c.ExposeHeaders}} {
		for i, h := range hs.headers {
			if h != "*" && !validToken(h) {
				p.add(fmt.Sprintf("%s.%s[%d]", path, hs.name, i), `must be "*" or a header name`)
			}
		}
	}
	if c.MaxAge < -1 || c.MaxAge > 86400 {
		p.add(path+".maxAge", "must be between -1 and 86400")
	}
	if c.AllowCredentials && wildcard {
		p.add(path+".allowCredentials", `cannot be true when allowOrigins has "*"`)
	}
}

// validOrigin reports whether o is an origin, scheme://host[:port], whose host may start with a
// "*." wildcard.
func validOrigin(o string) bool {
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok || scheme == "" {
		return false
	}
	u, err := url.Parse(scheme + "://" + strings.TrimPrefix(rest, "*."))
	return err == nil && u.Host != "" && u.Path == "" && u.User == nil && !u.ForceQuery && u.RawQuery == "" && u.Fragment == "" && !hasSpaceOrControl(o)
}
