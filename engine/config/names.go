package config

import (
	"maps"
	"slices"
	"strings"
	"unicode"
)

// sortedKeys returns the keys of m in order, so problems with map entries come out the same way
// every run.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// validToken reports whether s is an HTTP token (RFC 9110), the shape of a header name.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func hasSpaceOrControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
}

// validStatusCode reports whether s is an HTTP status code as API Gateway takes one: three digits,
// 100 to 599.
func validStatusCode(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// validMediaRange reports whether s is a media type like image/png, or a range like image/* or
// */*.
func validMediaRange(s string) bool {
	typ, sub, ok := strings.Cut(s, "/")
	return ok && validToken(typ) && validToken(sub)
}

// parameterName splits a parameter expression like "method.request.querystring.page" into its
// location ("querystring") and name ("page"), given the prefix ("method.request.") and the
// locations allowed after it. ok is false when s has another shape.
func parameterName(s, prefix string, locations ...string) (location, name string, ok bool) {
	rest, found := strings.CutPrefix(s, prefix)
	if !found {
		return "", "", false
	}
	location, name, found = strings.Cut(rest, ".")
	if !found || !oneOf(location, locations) || name == "" || hasSpaceOrControl(name) {
		return "", "", false
	}
	if location == "header" && !validToken(name) {
		return "", "", false
	}
	return location, name, true
}
