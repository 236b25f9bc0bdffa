package config

import (
	"errors"
	"fmt"
	"strings"
)

// pathSegment is one segment of a REST resource path: literal text, or a path parameter.
type pathSegment struct {
	text   string // as written: "pets", "{petId}", "{proxy+}"
	param  string // the parameter's name, "" for a literal
	greedy bool   // {name+}
}

// parseResourcePath splits a REST resource path into its segments: "/" has none; otherwise each
// segment is literal (letters, digits, '.', '_', '-'), a parameter {name}, or, last, a greedy
// parameter {name+}. Parameter names are letters, digits, '.', '_' and '-', each used once.
func parseResourcePath(path string) ([]pathSegment, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, errors.New(`must start with "/"`)
	}
	if path == "/" {
		return nil, nil
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]pathSegment, 0, len(parts))
	seen := map[string]bool{}
	for i, part := range parts {
		if part == "" {
			return nil, errors.New(`must not have empty segments ("//" or a trailing "/")`)
		}
		if !strings.HasPrefix(part, "{") {
			if !pathWord(part) {
				return nil, fmt.Errorf("segment %q: a literal segment is letters, digits, '.', '_' and '-'", part)
			}
			segs = append(segs, pathSegment{text: part})
			continue
		}
		name, ok := strings.CutSuffix(part[1:], "}")
		greedy := false
		if ok {
			name, greedy = strings.CutSuffix(name, "+")
		}
		if !ok || !pathWord(name) {
			return nil, fmt.Errorf("segment %q: a path parameter is {name} or {name+}, the name letters, digits, '.', '_' and '-'", part)
		}
		if greedy && i != len(parts)-1 {
			return nil, fmt.Errorf("segment %q: a greedy path parameter must be the last segment", part)
		}
		if seen[name] {
			return nil, fmt.Errorf("path parameter %q is used twice", name)
		}
		seen[name] = true
		segs = append(segs, pathSegment{text: part, param: name, greedy: greedy})
	}
	return segs, nil
}

// pathWord reports whether s is non-empty and only letters, digits, '.', '_' and '-', the
// characters API Gateway allows in a resource path part.
func pathWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// pathParameters returns the names of the parameters among segs.
func pathParameters(segs []pathSegment) map[string]bool {
	params := map[string]bool{}
	for _, s := range segs {
		if s.param != "" {
			params[s.param] = true
		}
	}
	return params
}
