package routeselect

import "errors"

// HTTPRouter picks the route of an HTTP API request by method and path, as API Gateway
// does:
//
//  1. Among the routes whose path template matches, the most specific template wins:
//     templates compare segment by segment from the left, a literal beating {var} beating
//     {greedy+}, so a longer literal prefix wins.
//  2. On that template a route with the request's exact method beats ANY. When the
//     template has neither, the next most specific matching template that has one is
//     tried: with GET /pets/dog/{id} and ANY /{proxy+}, POST /pets/dog/1 goes to the latter.
//  3. Otherwise $default when defined, else no match (the caller answers 404).
//
// Paths are case-sensitive and taken literally: no dot-segment or slash clean-up. A
// trailing slash makes an empty last segment, which no literal or {var} matches, so
// /pets/ does not match GET /pets: each route key matches exactly one spelling of a path,
// and the request reaches a greedy route or $default instead (AWS does the same). A
// greedy variable needs a non-empty rest: /{proxy+} does not match "/".
//
// An HTTPRouter is immutable and safe for concurrent use.
type HTTPRouter struct {
	root       trieNode
	hasDefault bool
}

// NewHTTPRouter compiles route keys (HTTP API routeKey values, `$default` allowed). It
// refuses invalid keys (see ParseRouteKey), duplicate keys, and two keys with the same
// method whose paths differ only in variable names (GET /pets/{id}, GET /pets/{name});
// the error joins a *TemplateError for every problem.
func NewHTTPRouter(keys []string) (*HTTPRouter, error) {
	const kind = "route key"
	r := &HTTPRouter{}
	seen := make(map[string]struct{}, len(keys))
	var errs []error
	for _, key := range keys {
		if _, dup := seen[key]; dup {
			errs = append(errs, &TemplateError{Kind: kind, Text: key, Reason: "duplicate route key"})
			continue
		}
		seen[key] = struct{}{}
		if key == RouteKeyDefault {
			r.hasDefault = true
			continue
		}
		method, tpl, err := parseRouteKey(key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n, _ := r.root.insert(&tpl)
		if other := n.exact(method); other != nil {
			errs = append(errs, &TemplateError{Kind: kind, Text: key, Part: other.key, Reason: "same method and path as"})
			continue
		}
		n.add(trieEnd{method: method, tpl: tpl, key: key})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// Match returns the matched route key and its path parameters appended to params (may be nil).
// path is the raw, escaped request path after the stage prefix, without the query string;
// "" is the root, like "/". Matching splits the raw path on "/" and then decodes each
// segment, so /pets/a%2Fb has the two segments "pets" and "a/b"; literals compare with the
// decoded segment and parameter values are decoded (a greedy value is the decoded rest of
// the path without its leading slash: {proxy+} on /a/b/c is "a/b/c"). method is compared
// case-sensitively with the routes' methods; any other method only matches ANY routes. An
// invalid path (see ValidPath, e.g. "%zz") matches nothing, not even $default: the caller
// answers 400. Match allocates only for parameter values that hold escapes and when params
// must grow.
func (r *HTTPRouter) Match(method, path string, params []Param) (key string, out []Param, ok bool) {
	rest, more, valid := splitPath(path)
	if !valid {
		return "", params, false
	}
	if n := r.root.find(rest, more, method, true); n != nil {
		e := n.end(method)
		return e.key, e.tpl.appendParams(params, rest, more), true
	}
	if r.hasDefault {
		return RouteKeyDefault, params, true
	}
	return "", params, false
}

// Methods returns the methods defined for the path template that best matches path (for CORS / 405 logic).
// The methods are sorted and include ANY when defined; nil when no template matches or the
// path is invalid. The slice is shared: callers must not modify it.
func (r *HTTPRouter) Methods(path string) []string {
	rest, more, valid := splitPath(path)
	if !valid {
		return nil
	}
	if n := r.root.find(rest, more, "", false); n != nil {
		return n.methods
	}
	return nil
}
