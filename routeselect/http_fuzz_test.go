package routeselect_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

// routeKeySeeds are the route keys of the grammar tables, good and bad.
var routeKeySeeds = []string{
	"GET /pets", "GET /pets/{petId}", "ANY /{proxy+}", "POST /", "PUT /a/{b}/c/{d+}", "$default",
	"GET /pets/dog/{id}", "GET /pets/{proxy+}", "HEAD /x", "OPTIONS /x", "GET /a+b",
	"", "GET", "FETCH /pets", "get /pets", "GET ", "GET  /pets", "GET pets", "GET /pets//dogs", "GET /pets/",
	"GET /{proxy+}/pets", "GET /{id}/x/{id}", "GET /pets/{}", "GET /pets/{+}", "GET /{a}b", "GET /a{b}",
	"GET /{a}{b}", "GET /{a", "GET /a%20b", "GET /a?b=1", "$connect",
}

func FuzzParseRouteKey(f *testing.F) {
	for _, s := range routeKeySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		method, path, err := routeselect.ParseRouteKey(key)
		if err != nil {
			var te *routeselect.TemplateError
			require.True(t, errors.As(err, &te))
			require.Equal(t, key, te.Text)
			require.Contains(t, key, te.Part)
			require.NotEmpty(t, te.Reason)
			_, rerr := routeselect.NewHTTPRouter([]string{key})
			require.Error(t, rerr)
			return
		}
		if key == routeselect.RouteKeyDefault {
			require.Empty(t, method)
			require.Empty(t, path)
			return
		}
		require.Equal(t, key, method+" "+path)
		require.True(t, strings.HasPrefix(path, "/"))
		r, err := routeselect.NewHTTPRouter([]string{key})
		require.NoError(t, err)

		// The template's own spelling, with each variable replaced by its name, matches it.
		segs := templateSegments(path)
		raw := make([]string, len(segs))
		for i, s := range segs {
			if strings.HasPrefix(s, "{") {
				s = strings.TrimSuffix(s[1:len(s)-1], "+")
			}
			raw[i] = url.PathEscape(s)
		}
		got, _, ok := r.Match(method, "/"+strings.Join(raw, "/"), nil)
		require.True(t, ok)
		require.Equal(t, key, got)
	})
}

// httpMatchSeeds are (route keys, method, path) triples from the router tables.
var httpMatchSeeds = [][3]string{
	{strings.Join(awsExampleKeys, "\n"), "GET", "/pets/dog/1"},
	{strings.Join(awsExampleKeys, "\n"), "GET", "/pets/cat/1"},
	{strings.Join(awsExampleKeys, "\n"), "POST", "/pets/dog/1"},
	{strings.Join(awsExampleKeys, "\n"), "GET", "/"},
	{strings.Join(petstoreKeys, "\n"), "GET", ""},
	{strings.Join(petstoreKeys, "\n"), "POST", "/pets/mine"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/pets/a%2Fb"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/pets/%6Dine"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/files/a%20b/c%2Fd"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/files/a//b/"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/pets/%zz"},
	{strings.Join(petstoreKeys, "\n"), "HEAD", "/pets/"},
	{strings.Join(petstoreKeys, "\n"), "GET", "/users//orders/2"},
	{"GET /{a}/b\nGET /a/{b}\nANY /a/{p+}", "PUT", "/a/b"},
	{"GET /pets/{id}\nDELETE /pets/{name}", "DELETE", "/pets/1"},
}

func FuzzHTTPMatch(f *testing.F) {
	for _, s := range httpMatchSeeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, keyList, method, path string) {
		keys := strings.Split(keyList, "\n")
		r, err := routeselect.NewHTTPRouter(keys)
		if err != nil {
			return
		}
		o := newOracle(keys, path)

		key, params, ok := r.Match(method, path, nil)
		wantKey, wantParams, wantOK := o.http(method)
		require.Equal(t, wantOK, ok)
		require.Equal(t, wantKey, key)
		require.Equal(t, wantParams, params)
		if ok && key != routeselect.RouteKeyDefault {
			m, _, err := routeselect.ParseRouteKey(key)
			require.NoError(t, err)
			require.True(t, m == method || m == routeselect.MethodAny)
		}
		require.Equal(t, o.methods(), r.Methods(path))

		var resources []routeselect.ResourceMethod
		for _, k := range keys {
			if m, p, err := routeselect.ParseRouteKey(k); err == nil && k != routeselect.RouteKeyDefault {
				resources = append(resources, routeselect.ResourceMethod{Path: p, Method: m})
			}
		}
		tree, err := routeselect.NewResourceTree(resources)
		if err != nil {
			return // sibling variables with different names
		}
		resource, methodKey, params, ok := tree.Match(method, path, nil)
		wantResource, wantMethod, wantParams, wantOK := o.rest(method)
		require.Equal(t, wantOK, ok)
		require.Equal(t, wantResource, resource)
		require.Equal(t, wantMethod, methodKey)
		require.Equal(t, wantParams, params)
	})
}

// oracle matches one request path against route keys the slow, obvious way: test every
// template, rank the matches, walk them in order.
type oracle struct {
	hasDefault bool
	valid      bool
	matches    []oracleMatch // sorted, most specific first
}

type oracleMatch struct {
	key, method, path string
	rank              []int
	params            []routeselect.Param
}

func newOracle(keys []string, path string) *oracle {
	o := &oracle{valid: routeselect.ValidPath(path)}
	for _, k := range keys {
		if k == routeselect.RouteKeyDefault {
			o.hasDefault = true
			continue
		}
		if !o.valid {
			continue
		}
		m, tpl, _ := routeselect.ParseRouteKey(k)
		if rank, params, ok := oracleMatchTemplate(tpl, path); ok {
			o.matches = append(o.matches, oracleMatch{key: k, method: m, path: tpl, rank: rank, params: params})
		}
	}
	slices.SortStableFunc(o.matches, func(a, b oracleMatch) int { return slices.Compare(a.rank, b.rank) })
	return o
}

// groups returns the matches in groups of equal rank (one template shape each).
func (o *oracle) groups() [][]oracleMatch {
	var gs [][]oracleMatch
	for i := 0; i < len(o.matches); {
		j := i + 1
		for j < len(o.matches) && slices.Equal(o.matches[i].rank, o.matches[j].rank) {
			j++
		}
		gs = append(gs, o.matches[i:j])
		i = j
	}
	return gs
}

func pick(g []oracleMatch, method string) (oracleMatch, bool) {
	for _, m := range g {
		if m.method == method {
			return m, true
		}
	}
	for _, m := range g {
		if m.method == routeselect.MethodAny {
			return m, true
		}
	}
	return oracleMatch{}, false
}

func (o *oracle) http(method string) (string, []routeselect.Param, bool) {
	if !o.valid {
		return "", nil, false
	}
	for _, g := range o.groups() {
		if m, ok := pick(g, method); ok {
			return m.key, m.params, true
		}
	}
	if o.hasDefault {
		return routeselect.RouteKeyDefault, nil, true
	}
	return "", nil, false
}

func (o *oracle) rest(method string) (string, string, []routeselect.Param, bool) {
	gs := o.groups()
	if len(gs) == 0 {
		return "", "", nil, false
	}
	m, ok := pick(gs[0], method)
	if !ok {
		return "", "", nil, false
	}
	return m.path, m.method, m.params, true
}

func (o *oracle) methods() []string {
	gs := o.groups()
	if len(gs) == 0 {
		return nil
	}
	var ms []string
	for _, m := range gs[0] {
		ms = append(ms, m.method)
	}
	slices.Sort(ms)
	return ms
}

// templateSegments splits a template path into its segments; "/" has none.
func templateSegments(tpl string) []string {
	if tpl == "/" {
		return nil
	}
	return strings.Split(tpl[1:], "/")
}

// oracleMatchTemplate reports whether tpl matches the raw path, with the template's rank
// (0 literal, 1 variable, 2 greedy per segment) and its decoded parameters.
func oracleMatchTemplate(tpl, path string) ([]int, []routeselect.Param, bool) {
	var raw []string
	if len(path) > 1 {
		raw = strings.Split(path[1:], "/")
	}
	var rank []int
	var params []routeselect.Param
	for i, s := range templateSegments(tpl) {
		if strings.HasSuffix(s, "+}") {
			rest := strings.Join(raw[min(i, len(raw)):], "/")
			if rest == "" {
				return nil, nil, false
			}
			v, err := url.PathUnescape(rest)
			if err != nil {
				return nil, nil, false
			}
			return append(rank, 2), append(params, routeselect.Param{Name: s[1 : len(s)-2], Value: v}), true
		}
		if i >= len(raw) {
			return nil, nil, false
		}
		v, err := url.PathUnescape(raw[i])
		if err != nil || raw[i] == "" {
			return nil, nil, false
		}
		if strings.HasPrefix(s, "{") {
			rank = append(rank, 1)
			params = append(params, routeselect.Param{Name: s[1 : len(s)-1], Value: v})
			continue
		}
		if v != s {
			return nil, nil, false
		}
		rank = append(rank, 0)
	}
	if len(templateSegments(tpl)) != len(raw) {
		return nil, nil, false
	}
	return rank, params, true
}
