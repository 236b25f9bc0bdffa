package routeselect_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

var petstoreResources = []routeselect.ResourceMethod{
	{Path: "/", Method: "GET"},
	{Path: "/pets", Method: "GET"},
	{Path: "/pets", Method: "POST"},
	{Path: "/pets", Method: "OPTIONS"},
	{Path: "/pets/{petId}", Method: "GET"},
	{Path: "/pets/{petId}", Method: "ANY"},
	{Path: "/pets/mine", Method: "GET"},
	{Path: "/pets/mine", Method: "HEAD"},
	{Path: "/pets/{petId}/toys/{toyId}", Method: "GET"},
	{Path: "/files/{proxy+}", Method: "ANY"},
	{Path: "/files/{name}", Method: "GET"},
}

func TestResourceTreeMatchPicksResourceAndMethod(t *testing.T) {
	longRest := strings.Repeat("seg/", 2000) + "end"
	tests := []struct {
		name         string
		methods      []routeselect.ResourceMethod
		method, path string
		resource     string
		methodKey    string
		wantParams   []routeselect.Param
		wantOK       bool
	}{
		{"root", petstoreResources, "GET", "/", "/", "GET", nil, true},
		{"empty path is the root", petstoreResources, "GET", "", "/", "GET", nil, true},
		{"root without the method", petstoreResources, "POST", "/", "", "", nil, false},
		{"literal resource", petstoreResources, "GET", "/pets", "/pets", "GET", nil, true},
		{"other method", petstoreResources, "POST", "/pets", "/pets", "POST", nil, true},
		{"options", petstoreResources, "OPTIONS", "/pets", "/pets", "OPTIONS", nil, true},
		{"known path, unknown method", petstoreResources, "DELETE", "/pets", "", "", nil, false},
		{"head is not get", petstoreResources, "HEAD", "/pets", "", "", nil, false},
		{"variable", petstoreResources, "GET", "/pets/7", "/pets/{petId}", "GET", params("petId", "7"), true},
		{"ANY catches other methods", petstoreResources, "DELETE", "/pets/7", "/pets/{petId}", "ANY", params("petId", "7"), true},
		{"literal beats variable sibling", petstoreResources, "GET", "/pets/mine", "/pets/mine", "GET", nil, true},
		{"head on literal", petstoreResources, "HEAD", "/pets/mine", "/pets/mine", "HEAD", nil, true},
		{"no fallback from literal to variable sibling", petstoreResources, "POST", "/pets/mine", "", "", nil, false},
		{"nested variables", petstoreResources, "GET", "/pets/1/toys/2", "/pets/{petId}/toys/{toyId}", "GET", params("petId", "1", "toyId", "2"), true},
		{"nested resource without the method", petstoreResources, "PUT", "/pets/1/toys/2", "", "", nil, false},
		{"intermediate resource without methods", petstoreResources, "GET", "/pets/1/toys", "", "", nil, false},
		{"escaped slash stays in one segment", petstoreResources, "GET", "/pets/a%2Fb", "/pets/{petId}", "GET", params("petId", "a/b"), true},
		{"variable beats greedy", petstoreResources, "GET", "/files/a", "/files/{name}", "GET", params("name", "a"), true},
		{"no fallback from variable to greedy", petstoreResources, "POST", "/files/a", "", "", nil, false},
		{"greedy captures many segments", petstoreResources, "POST", "/files/a/b/c", "/files/{proxy+}", "ANY", params("proxy", "a/b/c"), true},
		{"greedy value is decoded", petstoreResources, "GET", "/files/a%20b/c", "/files/{proxy+}", "ANY", params("proxy", "a b/c"), true},
		{"unknown path", petstoreResources, "GET", "/dogs", "", "", nil, false},
		{"trailing slash is another path", petstoreResources, "GET", "/pets/", "", "", nil, false},
		{"paths are case-sensitive", petstoreResources, "GET", "/PETS", "", "", nil, false},
		{"malformed escape", petstoreResources, "GET", "/pets/%zz", "", "", nil, false},
		{"path without leading slash", petstoreResources, "GET", "pets", "", "", nil, false},
		{"very long greedy path", petstoreResources, "GET", "/files/" + longRest, "/files/{proxy+}", "ANY", params("proxy", longRest), true},
		{"very long unknown path", petstoreResources, "GET", "/pets/" + longRest, "", "", nil, false},
		{"greedy at root", []routeselect.ResourceMethod{{Path: "/{proxy+}", Method: "ANY"}}, "GET", "/a/b", "/{proxy+}", "ANY", params("proxy", "a/b"), true},
		{"greedy at root does not match root", []routeselect.ResourceMethod{{Path: "/{proxy+}", Method: "ANY"}}, "GET", "/", "", "", nil, false},
		{"root ANY and greedy", []routeselect.ResourceMethod{{Path: "/", Method: "ANY"}, {Path: "/{proxy+}", Method: "ANY"}}, "PUT", "/", "/", "ANY", nil, true},
		{"empty tree", nil, "GET", "/", "", "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := routeselect.NewResourceTree(tt.methods)
			require.NoError(t, err)
			resource, methodKey, got, ok := tree.Match(tt.method, tt.path, nil)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.resource, resource)
			require.Equal(t, tt.methodKey, methodKey)
			require.Equal(t, tt.wantParams, got)
		})
	}
}

func TestResourceTreeMatchDoesNotAllocateForPlainPaths(t *testing.T) {
	tree, err := routeselect.NewResourceTree(petstoreResources)
	require.NoError(t, err)
	buf := make([]routeselect.Param, 0, 4)
	for _, path := range []string{"/pets/1/toys/2", "/files/a/b", "/pets/mine", "/dogs"} {
		allocs := testing.AllocsPerRun(100, func() {
			_, _, buf, _ = tree.Match("GET", path, buf[:0])
		})
		require.Zero(t, allocs, path)
	}
}

func TestNewResourceTreeRefusesBadResources(t *testing.T) {
	tests := []struct {
		name    string
		methods []routeselect.ResourceMethod
		kind    string
		text    string
		part    string
		reason  string
	}{
		{"duplicate method", []routeselect.ResourceMethod{{"/pets", "GET"}, {"/pets", "GET"}}, "resource method", "GET /pets", "", "duplicate method"},
		{"duplicate ANY", []routeselect.ResourceMethod{{"/", "ANY"}, {"/", "ANY"}}, "resource method", "ANY /", "", "duplicate method"},
		{"unknown method", []routeselect.ResourceMethod{{"/pets", "FETCH"}}, "resource method", "FETCH /pets", "FETCH", "unknown method"},
		{"empty method", []routeselect.ResourceMethod{{"/pets", ""}}, "resource method", " /pets", "", "unknown method"},
		{"empty path", []routeselect.ResourceMethod{{"", "GET"}}, "resource path", "", "", "missing path"},
		{"greedy not last", []routeselect.ResourceMethod{{"/{proxy+}/x", "GET"}}, "resource path", "/{proxy+}/x", "{proxy+}", "greedy variable must be the last segment"},
		{"partial-segment variable", []routeselect.ResourceMethod{{"/pets/{id}.json", "GET"}}, "resource path", "/pets/{id}.json", "{id}.json", "variable must be a whole segment"},
		{"sibling variables", []routeselect.ResourceMethod{{"/pets/{id}", "GET"}, {"/pets/{petId}", "POST"}}, "resource path", "/pets/{petId}", "{id}", "sibling of a variable with another name"},
		{"sibling variables deeper", []routeselect.ResourceMethod{{"/pets/{id}/toys", "GET"}, {"/pets/{petId}", "GET"}}, "resource path", "/pets/{petId}", "{id}", "sibling of a variable with another name"},
		{"sibling greedy variables", []routeselect.ResourceMethod{{"/{proxy+}", "ANY"}, {"/{path+}", "GET"}}, "resource path", "/{path+}", "{proxy+}", "sibling of a variable with another name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := routeselect.NewResourceTree(tt.methods)
			require.Nil(t, tree)
			var te *routeselect.TemplateError
			require.True(t, errors.As(err, &te), "%v", err)
			require.Equal(t, tt.kind, te.Kind)
			require.Equal(t, tt.text, te.Text)
			require.Equal(t, tt.part, te.Part)
			require.Equal(t, tt.reason, te.Reason)
		})
	}
}
