package routeselect

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// parseSeeds are the expressions of the grammar tables, good and bad.
var parseSeeds = []string{
	`$request.body.action`, `${request.body.action}`, `${request.body.service}/${request.body.action}`,
	`${request.body.version}-beta`, `$request.body.data.room`, `$request.body`, `\$default`, `$default`,
	`${request.method} ${request.path}`, `$request.header.x-api-key`, `$context.authorizer.usageIdentifierKey`,
	`$stageVariables.color`, `$request.querystring.token`, `$request.path.id`, `${integration.response.statuscode}`,
	`$request.body.items.#(name=="a").id|@reverse`, `a\\$b`, `x\`, `$`, `${`, `${}`, `$request.foo`, `x$default`,
	`$request.header.`, `literal only`, ``,
}

// render writes e back in a canonical spelling: literal "$" escaped, every variable braced.
func render(e *Expression) string {
	if e.isDefault {
		return defaultExpression
	}
	var b strings.Builder
	for _, seg := range e.segs {
		if seg.kind == kindLiteral {
			b.WriteString(strings.ReplaceAll(seg.text, "$", `\$`))
			continue
		}
		b.WriteString("${" + seg.source + "}")
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			require.GreaterOrEqual(t, pe.Offset, 0)
			require.LessOrEqual(t, pe.Offset+len(pe.Part), len(s))
			require.Equal(t, s[pe.Offset:pe.Offset+len(pe.Part)], pe.Part)
			return
		}
		require.Equal(t, s, e.String())

		again, err := Parse(e.String())
		require.NoError(t, err)
		require.Equal(t, e, again)

		canonical, err := Parse(render(e))
		require.NoError(t, err, "canonical form %q", render(e))
		require.Equal(t, e.segs, canonical.segs)
		require.Equal(t, e.isDefault, canonical.isDefault)
		require.Equal(t, e.usesBody, canonical.usesBody)
	})
}

// fuzzSource answers every lookup with a value derived from the name.
type fuzzSource struct{}

func (fuzzSource) Header(name string) (string, bool)        { return "h:" + name, true }
func (fuzzSource) QueryString(name string) (string, bool)   { return "q:" + name, true }
func (fuzzSource) PathParameter(name string) (string, bool) { return "", false }
func (fuzzSource) Method() string                           { return "GET" }
func (fuzzSource) Path() string                             { return "" }
func (fuzzSource) Context(name string) (string, bool)       { return "c:" + name, true }
func (fuzzSource) StageVariable(name string) (string, bool) { return "", false }

func FuzzEvaluate(f *testing.F) {
	bodies := []string{
		`{"action":"echo","data":"hello"}`, `{"service":"chat","action":"join"}`, `{"version":"v2"}`,
		`{"data":{"room":"lobby"}}`, `{"action":42}`, `{"action":["a",1,null,{"k":"v"},["x"]]}`,
		`{"action":"$connect"}`, `{"action":null}`, `{"items":[{"name":"a","id":1}]}`, `hello`, `{"action":`, ``,
	}
	for i, s := range parseSeeds {
		f.Add(s, []byte(bodies[i%len(bodies)]))
	}
	keys := []string{RouteKeyConnect, RouteKeyDisconnect, RouteKeyDefault, "echo", "chat/join", "42"}
	f.Fuzz(func(t *testing.T, expr string, body []byte) {
		e, err := Parse(expr)
		if err != nil {
			return
		}
		for _, src := range []Source{nil, fuzzSource{}} {
			value, ok := e.Evaluate(body, src)
			if e.UsesBody() && !gjson.ValidBytes(body) {
				require.False(t, ok)
			}
			if !ok {
				require.Empty(t, value)
			}

			key, selected := NewRouteTable(e, keys).Select(body, src)
			require.True(t, selected, "the table has $default")
			require.NotEqual(t, RouteKeyConnect, key)
			require.NotEqual(t, RouteKeyDisconnect, key)
			if ok && !e.IsDefault() && value != RouteKeyConnect && value != RouteKeyDisconnect && slices.Contains(keys, value) {
				require.Equal(t, value, key)
			}

			// Neither result may alias the body, which the caller is free to reuse.
			saved, savedKey := strings.Clone(value), strings.Clone(key)
			scratch := append([]byte(nil), body...)
			for i := range body {
				body[i] = 'X'
			}
			require.Equal(t, saved, value)
			require.Equal(t, savedKey, key)
			copy(body, scratch)
		}
	})
}
