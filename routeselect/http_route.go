package routeselect

import "strings"

// MethodAny is the method of a route that catches every method not defined on its path.
const MethodAny = "ANY"

// Param is one path parameter of a matched route: {petId} on /pets/7 is
// Param{Name: "petId", Value: "7"}; {proxy+} on /a/b is Param{Name: "proxy", Value: "a/b"}.
type Param struct{ Name, Value string }

// validMethod reports whether m may be a route's or resource's method. Methods are
// upper case, as API Gateway spells them.
func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", MethodAny:
		return true
	}
	return false
}

// ParseRouteKey splits an HTTP API route key ("GET /pets/{petId}", "ANY /{proxy+}") into
// its method and path and checks both. "$default" parses to an empty method and path. The
// method is one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY, separated from the
// path by one space. The path is "/" or "/"-separated segments, each a non-empty literal, a
// whole-segment {name} or a final greedy {name+}; variable names are unique. Literals are
// written unescaped and may not hold '%', '?', '#', spaces or control characters. An error
// is a *TemplateError naming the offending part.
func ParseRouteKey(key string) (method, path string, err error) {
	if key == RouteKeyDefault {
		return "", "", nil
	}
	method, tpl, err := parseRouteKey(key)
	if err != nil {
		return "", "", err
	}
	return method, tpl.path, nil
}

// parseRouteKey compiles a route key other than $default.
func parseRouteKey(key string) (string, pathTemplate, error) {
	const kind = "route key"
	method, path, found := strings.Cut(key, " ")
	if !found {
		return "", pathTemplate{}, &TemplateError{Kind: kind, Text: key, Part: key, Reason: `want "METHOD /path" or "$default"`}
	}
	if !validMethod(method) {
		return "", pathTemplate{}, &TemplateError{Kind: kind, Text: key, Part: method, Reason: "unknown method"}
	}
	tpl, err := parsePathTemplate(kind, key, path)
	if err != nil {
		return "", pathTemplate{}, err
	}
	return method, tpl, nil
}
