package routeselect_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

// awsExampleKeys are the routes of API Gateway's "Routing API requests" example.
var awsExampleKeys = []string{"GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}"}

var petstoreKeys = []string{
	"GET /",
	"GET /pets",
	"POST /pets",
	"OPTIONS /pets",
	"GET /pets/{petId}",
	"ANY /pets/{petId}",
	"GET /pets/mine",
	"HEAD /pets/mine",
	"GET /files/{path+}",
	"GET /users/{userId}/orders/{orderId}",
	"$default",
}

func params(kv ...string) []routeselect.Param {
	var ps []routeselect.Param
	for i := 0; i+1 < len(kv); i += 2 {
		ps = append(ps, routeselect.Param{Name: kv[i], Value: kv[i+1]})
	}
	return ps
}

func TestHTTPRouterMatchPicksTheMostSpecificRoute(t *testing.T) {
	longRest := strings.Repeat("seg/", 2000) + "end"
	longEscaped := strings.Repeat("%41", 200)
	tests := []struct {
		name         string
		keys         []string
		method, path string
		want         string
		wantParams   []routeselect.Param
		wantOK       bool
	}{
		{"aws: literal prefix beats greedy", awsExampleKeys, "GET", "/pets/dog/1", "GET /pets/dog/{id}", params("id", "1"), true},
		{"aws: longer greedy prefix wins", awsExampleKeys, "GET", "/pets/cat/1", "GET /pets/{proxy+}", params("proxy", "cat/1"), true},
		{"aws: other method falls back to a less specific ANY", awsExampleKeys, "POST", "/pets/dog/1", "ANY /{proxy+}", params("proxy", "pets/dog/1"), true},
		{"aws: greedy at root", awsExampleKeys, "DELETE", "/x", "ANY /{proxy+}", params("proxy", "x"), true},
		{"aws: greedy at root does not match root", awsExampleKeys, "GET", "/", "", nil, false},

		{"root", petstoreKeys, "GET", "/", "GET /", nil, true},
		{"empty path is the root", petstoreKeys, "GET", "", "GET /", nil, true},
		{"root without the method goes to default", petstoreKeys, "POST", "/", "$default", nil, true},
		{"literal path", petstoreKeys, "GET", "/pets", "GET /pets", nil, true},
		{"other method on the same path", petstoreKeys, "POST", "/pets", "POST /pets", nil, true},
		{"options route", petstoreKeys, "OPTIONS", "/pets", "OPTIONS /pets", nil, true},
		{"undefined method and no ANY goes to default", petstoreKeys, "DELETE", "/pets", "$default", nil, true},
		{"head is not get", petstoreKeys, "HEAD", "/pets", "$default", nil, true},
		{"variable", petstoreKeys, "GET", "/pets/7", "GET /pets/{petId}", params("petId", "7"), true},
		{"exact method beats ANY", petstoreKeys, "GET", "/pets/7", "GET /pets/{petId}", params("petId", "7"), true},
		{"ANY catches other methods", petstoreKeys, "DELETE", "/pets/7", "ANY /pets/{petId}", params("petId", "7"), true},
		{"ANY catches unknown methods", petstoreKeys, "PROPFIND", "/pets/7", "ANY /pets/{petId}", params("petId", "7"), true},
		{"methods are case-sensitive", petstoreKeys, "get", "/pets/7", "ANY /pets/{petId}", params("petId", "7"), true},
		{"literal beats variable sibling", petstoreKeys, "GET", "/pets/mine", "GET /pets/mine", nil, true},
		{"head route", petstoreKeys, "HEAD", "/pets/mine", "HEAD /pets/mine", nil, true},
		{"literal without the method falls back to variable sibling", petstoreKeys, "POST", "/pets/mine", "ANY /pets/{petId}", params("petId", "mine"), true},
		{"escaped slash stays in one segment", petstoreKeys, "GET", "/pets/a%2Fb", "GET /pets/{petId}", params("petId", "a/b"), true},
		{"escaped literal matches decoded", petstoreKeys, "GET", "/pets/%6Dine", "GET /pets/mine", nil, true},
		{"utf-8 escapes decode", petstoreKeys, "GET", "/pets/caf%C3%A9", "GET /pets/{petId}", params("petId", "caf\u00e9"), true},
		{"plus is not a space in a path", petstoreKeys, "GET", "/pets/a+b", "GET /pets/{petId}", params("petId", "a+b"), true},
		{"escaped space", petstoreKeys, "GET", "/pets/a%20b", "GET /pets/{petId}", params("petId", "a b"), true},
		{"trailing slash is another path", petstoreKeys, "GET", "/pets/", "$default", nil, true},
		{"paths are case-sensitive", petstoreKeys, "GET", "/Pets", "$default", nil, true},
		{"too many segments", petstoreKeys, "GET", "/pets/7/extra", "$default", nil, true},
		{"empty segment matches no variable", petstoreKeys, "GET", "/users//orders/2", "$default", nil, true},
		{"greedy captures one segment", petstoreKeys, "GET", "/files/a", "GET /files/{path+}", params("path", "a"), true},
		{"greedy captures many segments", petstoreKeys, "GET", "/files/a/b/c", "GET /files/{path+}", params("path", "a/b/c"), true},
		{"greedy keeps empty and trailing segments", petstoreKeys, "GET", "/files/a//b/", "GET /files/{path+}", params("path", "a//b/"), true},
		{"greedy value is decoded", petstoreKeys, "GET", "/files/a%20b/c%2Fd", "GET /files/{path+}", params("path", "a b/c/d"), true},
		{"greedy needs a segment", petstoreKeys, "GET", "/files", "$default", nil, true},
		{"greedy needs a non-empty rest", petstoreKeys, "GET", "/files/", "$default", nil, true},
		{"two variables", petstoreKeys, "GET", "/users/u1/orders/o2", "GET /users/{userId}/orders/{orderId}", params("userId", "u1", "orderId", "o2"), true},
		{"malformed escape matches nothing, not even default", petstoreKeys, "GET", "/pets/%zz", "", nil, false},
		{"truncated escape matches nothing", petstoreKeys, "GET", "/pets/%2", "", nil, false},
		{"path without leading slash matches nothing", petstoreKeys, "GET", "pets", "", nil, false},
		{"very long greedy path", petstoreKeys, "GET", "/files/" + longRest, "GET /files/{path+}", params("path", longRest), true},
		{"very long path without a route", petstoreKeys, "GET", "/pets/" + longRest, "$default", nil, true},
		{"long escaped literal lookup", []string{"GET /x", "GET /{v}"}, "GET", "/" + longEscaped, "GET /{v}", params("v", strings.Repeat("A", 200)), true},

		{"no default: unknown path", []string{"GET /pets"}, "GET", "/dogs", "", nil, false},
		{"no default: unknown method", []string{"GET /pets"}, "POST", "/pets", "", nil, false},
		{"only default", []string{"$default"}, "GET", "/anything/at/all", "$default", nil, true},
		{"no routes", nil, "GET", "/", "", nil, false},
		{"variable beats greedy", []string{"GET /{a}", "GET /{p+}"}, "GET", "/x", "GET /{a}", params("a", "x"), true},
		{"leftmost literal decides", []string{"GET /{a}/b", "GET /a/{b}"}, "GET", "/a/b", "GET /a/{b}", params("b", "b"), true},
		{"literal then greedy beats variable then literal", []string{"GET /{a}/b/c", "GET /a/{p+}"}, "GET", "/a/b/c", "GET /a/{p+}", params("p", "b/c"), true},
		{"same shape, names per method: GET", []string{"GET /pets/{id}", "DELETE /pets/{name}"}, "GET", "/pets/1", "GET /pets/{id}", params("id", "1"), true},
		{"same shape, names per method: DELETE", []string{"GET /pets/{id}", "DELETE /pets/{name}"}, "DELETE", "/pets/1", "DELETE /pets/{name}", params("name", "1"), true},
		{"fallback passes over several templates", []string{"GET /a/b/c", "GET /a/b/{c}", "GET /a/{p+}", "POST /{p+}"}, "POST", "/a/b/c", "POST /{p+}", params("p", "a/b/c"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := routeselect.NewHTTPRouter(tt.keys)
			require.NoError(t, err)
			key, got, ok := r.Match(tt.method, tt.path, nil)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, key)
			require.Equal(t, tt.wantParams, got)
		})
	}
}

func TestHTTPRouterMatchAppendsToParams(t *testing.T) {
	r, err := routeselect.NewHTTPRouter(petstoreKeys)
	require.NoError(t, err)
	prior := params("keep", "me")

	_, got, ok := r.Match("GET", "/users/1/orders/2", prior)
	require.True(t, ok)
	require.Equal(t, params("keep", "me", "userId", "1", "orderId", "2"), got)

	_, got, ok = r.Match("GET", "/nothing/here", prior)
	require.True(t, ok)
	require.Equal(t, prior, got, "default adds no params")

	_, got, ok = r.Match("GET", "/%zz", prior)
	require.False(t, ok)
	require.Equal(t, prior, got)
}

func TestHTTPRouterMatchDoesNotAllocateForPlainPaths(t *testing.T) {
	r, err := routeselect.NewHTTPRouter(petstoreKeys)
	require.NoError(t, err)
	buf := make([]routeselect.Param, 0, 4)
	for _, path := range []string{"/users/1/orders/2", "/files/a/b/c", "/pets/mine", "/pets/%6Dine", "/nothing"} {
		allocs := testing.AllocsPerRun(100, func() {
			_, buf, _ = r.Match("GET", path, buf[:0])
		})
		require.Zero(t, allocs, path)
	}
}

func TestHTTPRouterMethodsListsTheBestTemplatesMethods(t *testing.T) {
	r, err := routeselect.NewHTTPRouter(petstoreKeys)
	require.NoError(t, err)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"GET"}},
		{"", []string{"GET"}},
		{"/pets", []string{"GET", "OPTIONS", "POST"}},
		{"/pets/7", []string{"ANY", "GET"}},
		{"/pets/mine", []string{"GET", "HEAD"}},
		{"/files/a/b", []string{"GET"}},
		{"/nothing", nil},
		{"/pets/", nil},
		{"/%zz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Equal(t, tt.want, r.Methods(tt.path))
		})
	}
}

func TestNewHTTPRouterRefusesConflictingKeys(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		text   string
		part   string
		reason string
	}{
		{"duplicate key", []string{"GET /pets", "GET /pets"}, "GET /pets", "", "duplicate route key"},
		{"duplicate default", []string{"$default", "$default"}, "$default", "", "duplicate route key"},
		{"same method, variable names differ", []string{"GET /pets/{id}", "GET /pets/{name}"}, "GET /pets/{name}", "GET /pets/{id}", "same method and path as"},
		{"same method, greedy names differ", []string{"ANY /{proxy+}", "ANY /{rest+}"}, "ANY /{rest+}", "ANY /{proxy+}", "same method and path as"},
		{"invalid key", []string{"GET /ok", "GET /{a}b"}, "GET /{a}b", "{a}b", "variable must be a whole segment"},
		{"websocket key", []string{"$connect"}, "$connect", "$connect", `want "METHOD /path" or "$default"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := routeselect.NewHTTPRouter(tt.keys)
			require.Nil(t, r)
			var te *routeselect.TemplateError
			require.True(t, errors.As(err, &te))
			require.Equal(t, tt.text, te.Text)
			require.Equal(t, tt.part, te.Part)
			require.Equal(t, tt.reason, te.Reason)
		})
	}
}

func TestNewHTTPRouterReportsEveryProblem(t *testing.T) {
	_, err := routeselect.NewHTTPRouter([]string{"GET /a//b", "GET /ok", "FETCH /x", "GET /ok"})
	require.Error(t, err)
	for _, want := range []string{"empty path segment", "unknown method", "duplicate route key"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestHTTPRouterIsSafeForConcurrentUse(t *testing.T) {
	r, err := routeselect.NewHTTPRouter(petstoreKeys)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				key, ps, ok := r.Match("GET", "/users/1/orders/2", nil)
				if !ok || key != "GET /users/{userId}/orders/{orderId}" || len(ps) != 2 {
					errs <- errors.New("wrong match under concurrency")
					return
				}
				_ = r.Methods("/pets")
			}
		})
	}
	wg.Wait()
	close(errs)
	require.NoError(t, <-errs)
}

// benchmarkKeys are ~50 routes of a realistic API.
var benchmarkKeys = func() []string {
	keys := []string{"GET /", "$default", "ANY /{proxy+}"}
	for _, res := range []string{"pets", "users", "orders", "stores", "invoices", "products", "carts", "reviews", "tags"} {
		keys = append(keys,
			"GET /"+res,
			"POST /"+res,
			"GET /"+res+"/{id}",
			"PUT /"+res+"/{id}",
			"DELETE /"+res+"/{id}",
		)
	}
	return append(keys,
		"GET /users/{id}/orders/{orderId}",
		"GET /users/me",
		"GET /static/{path+}",
		"GET /v1/health",
	)
}()

func BenchmarkHTTPMatch(b *testing.B) {
	r, err := routeselect.NewHTTPRouter(benchmarkKeys)
	if err != nil {
		b.Fatal(err)
	}
	benchmarks := []struct {
		name, method, path, want string
	}{
		{"literal", "GET", "/v1/health", "GET /v1/health"},
		{"variable", "GET", "/products/12345", "GET /products/{id}"},
		{"two variables", "GET", "/users/42/orders/7", "GET /users/{id}/orders/{orderId}"},
		{"greedy", "GET", "/static/css/site/main.css", "GET /static/{path+}"},
		{"fallback to ANY", "PATCH", "/products/12345", "ANY /{proxy+}"},
		{"escaped variable", "GET", "/products/a%2Fb", "GET /products/{id}"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			buf := make([]routeselect.Param, 0, 4)
			b.ReportAllocs()
			for b.Loop() {
				var key string
				var ok bool
				key, buf, ok = r.Match(bm.method, bm.path, buf[:0])
				if !ok || key != bm.want {
					b.Fatalf("matched %q", key)
				}
			}
		})
	}
}

func ExampleHTTPRouter_Match() {
	r, err := routeselect.NewHTTPRouter([]string{"GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, req := range [][2]string{{"GET", "/pets/dog/1"}, {"GET", "/pets/cat/1"}, {"POST", "/pets/dog/1"}, {"GET", "/"}} {
		key, params, ok := r.Match(req[0], req[1], nil)
		fmt.Println(key, params, ok)
	}
	// Output:
	// GET /pets/dog/{id} [{id 1}] true
	// GET /pets/{proxy+} [{proxy cat/1}] true
	// ANY /{proxy+} [{proxy pets/dog/1}] true
	//  [] false
}
