package routeselect_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

func TestParseRouteKeySplitsMethodAndPath(t *testing.T) {
	tests := []struct {
		key, method, path string
	}{
		{"GET /pets", "GET", "/pets"},
		{"GET /pets/{petId}", "GET", "/pets/{petId}"},
		{"ANY /{proxy+}", "ANY", "/{proxy+}"},
		{"GET /pets/{proxy+}", "GET", "/pets/{proxy+}"},
		{"POST /", "POST", "/"},
		{"PUT /a/{b}/c/{d+}", "PUT", "/a/{b}/c/{d+}"},
		{"PATCH /x", "PATCH", "/x"},
		{"DELETE /x", "DELETE", "/x"},
		{"HEAD /x", "HEAD", "/x"},
		{"OPTIONS /x", "OPTIONS", "/x"},
		{"GET /Pets/v1.2/~user/a:b/c-d_e/caf\u00e9", "GET", "/Pets/v1.2/~user/a:b/c-d_e/caf\u00e9"},
		{"GET /pets/{pet-id}", "GET", "/pets/{pet-id}"},
		{"GET /a+b", "GET", "/a+b"},
		{"$default", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			method, path, err := routeselect.ParseRouteKey(tt.key)
			require.NoError(t, err)
			require.Equal(t, tt.method, method)
			require.Equal(t, tt.path, path)
		})
	}
}

func TestParseRouteKeyNamesTheProblem(t *testing.T) {
	tests := []struct {
		name, key, part, reason string
	}{
		{"empty key", "", "", `want "METHOD /path"`},
		{"method only", "GET", "GET", `want "METHOD /path"`},
		{"unknown method", "FETCH /pets", "FETCH", "unknown method"},
		{"lower-case method", "get /pets", "get", "unknown method"},
		{"missing path", "GET ", "", "missing path"},
		{"two spaces", "GET  /pets", " /pets", "path must start with /"},
		{"missing leading slash", "GET pets", "pets", "path must start with /"},
		{"empty segment", "GET /pets//dogs", "//", "empty path segment"},
		{"leading double slash", "GET //pets", "//", "empty path segment"},
		{"trailing slash", "GET /pets/", "/", "trailing slash"},
		{"greedy not last", "GET /{proxy+}/pets", "{proxy+}", "greedy variable must be the last segment"},
		{"duplicate variable", "GET /{id}/x/{id}", "{id}", "duplicate variable name"},
		{"greedy with a variable's name", "GET /{id}/{id+}", "{id+}", "duplicate variable name"},
		{"empty variable", "GET /pets/{}", "{}", "variable without a name"},
		{"empty greedy variable", "GET /pets/{+}", "{+}", "variable without a name"},
		{"variable with suffix", "GET /{a}b", "{a}b", "variable must be a whole segment"},
		{"variable with prefix", "GET /a{b}", "a{b}", "variable must be a whole segment"},
		{"two variables in a segment", "GET /{a}{b}", "{a}{b}", "variable must be a whole segment"},
		{"unclosed variable", "GET /{a", "{a", "variable must be a whole segment"},
		{"lone brace", "GET /{", "{", "variable must be a whole segment"},
		{"closing brace in literal", "GET /a}", "a}", "variable must be a whole segment"},
		{"plus inside a name", "GET /{a+b}", "{a+b}", "invalid character in variable name"},
		{"percent in literal", "GET /a%20b", "a%20b", "invalid character in path segment"},
		{"query in literal", "GET /a?b=1", "a?b=1", "invalid character in path segment"},
		{"fragment in literal", "GET /a#b", "a#b", "invalid character in path segment"},
		{"space in path", "GET /a b", "a b", "invalid character in path segment"},
		{"control character", "GET /a\x00", "a\x00", "invalid character in path segment"},
		{"space in a name", "GET /{a b}", "{a b}", "invalid character in variable name"},
		{"stage-like key", "$connect", "$connect", `want "METHOD /path"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := routeselect.ParseRouteKey(tt.key)
			require.Error(t, err)
			var te *routeselect.TemplateError
			require.True(t, errors.As(err, &te))
			require.Equal(t, "route key", te.Kind)
			require.Equal(t, tt.key, te.Text)
			require.Equal(t, tt.part, te.Part)
			require.True(t, strings.HasPrefix(te.Reason, tt.reason), "reason %q", te.Reason)
			require.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestValidPathAcceptsOnlyWellFormedEscapes(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"", true},
		{"/", true},
		{"/pets/7", true},
		{"/pets/a%2Fb", true},
		{"/%E2%82%AC", true},
		{"/%e2%82%ac", true},
		{"/a+b", true},
		{"/pets/", true},
		{"pets", false},
		{"/%zz", false},
		{"/%2", false},
		{"/%", false},
		{"/a%2Fb%", false},
		{"/a%2Fb%g0", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Equal(t, tt.want, routeselect.ValidPath(tt.path))
		})
	}
}
