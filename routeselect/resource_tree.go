package routeselect

import "errors"

// ResourceMethod is one method of a REST API resource: the resource's path template
// ("/", "/pets/{petId}", "/{proxy+}") and its HTTP method, which may be ANY.
type ResourceMethod struct{ Path, Method string }

// ResourceTree picks the resource and method of a REST API request. Paths match as in
// HTTPRouter (literal beats {var} beats {greedy+}, same decoding and trailing-slash rules),
// and on the matched resource the exact method beats ANY. Unlike an HTTP API there is no
// fallback and no $default: an unknown path, or the most specific matching resource
// lacking both the method and ANY, is no match, which the caller answers with 403
// {"message":"Missing Authentication Token"}. A ResourceTree is immutable and safe for
// concurrent use.
type ResourceTree struct {
	root trieNode
}

// NewResourceTree compiles the methods of a REST API's resources. Paths follow the
// grammar of ParseRouteKey's paths; methods are GET, POST, PUT, PATCH, DELETE, HEAD,
// OPTIONS or ANY. A duplicate (path, method) is an error, and so are sibling variables with
// different names (/pets/{id} and /pets/{petId}), which API Gateway refuses too. A {var}
// and a {greedy+} may be siblings. The error joins a *TemplateError for every problem.
func NewResourceTree(methods []ResourceMethod) (*ResourceTree, error) {
	t := &ResourceTree{}
	var errs []error
	for _, m := range methods {
		text := m.Method + " " + m.Path
		if !validMethod(m.Method) {
			errs = append(errs, &TemplateError{Kind: "resource method", Text: text, Part: m.Method, Reason: "unknown method"})
			continue
		}
		tpl, err := parsePathTemplate("resource path", m.Path, m.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n, conflict := t.root.insert(&tpl)
		if conflict != "" {
			errs = append(errs, &TemplateError{Kind: "resource path", Text: m.Path, Part: conflict, Reason: "sibling of a variable with another name"})
			continue
		}
		if n.exact(m.Method) != nil {
			errs = append(errs, &TemplateError{Kind: "resource method", Text: text, Reason: "duplicate method"})
			continue
		}
		n.add(trieEnd{method: m.Method, tpl: tpl, key: m.Path})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// Match returns the resource path template (e.g. "/pets/{petId}"), the method key it matched
// ("GET" or "ANY") and the path parameters appended to params (may be nil). path is the
// raw, escaped request path after the stage prefix, decoded as HTTPRouter.Match decodes it;
// an invalid path (see ValidPath) matches nothing. Match allocates only for parameter
// values that hold escapes and when params must grow.
func (t *ResourceTree) Match(method, path string, params []Param) (resource, methodKey string, out []Param, ok bool) {
	rest, more, valid := splitPath(path)
	if !valid {
		return "", "", params, false
	}
	n := t.root.find(rest, more, "", false)
	if n == nil {
		return "", "", params, false
	}
	e := n.end(method)
	if e == nil {
		return "", "", params, false
	}
	return e.key, e.method, e.tpl.appendParams(params, rest, more), true
}
