package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/portico-gateway/portico/engine/integration"
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
	for _, key := range sortedKeys(in.RequestParameters) {
		if err := checkParameterMappingKey(key); err != nil {
			p.add(keyPath(path+".requestParameters", key), "%v", err)
		}
	}
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
