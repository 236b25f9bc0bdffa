package routeselect_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

func TestEvaluateFollowsTheSelectionExpressionGrammar(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		body   string
		src    routeselect.Source
		want   string
		wantOK bool
	}{
		{"unbraced body variable", `$request.body.action`, `{"action":"echo","data":"hello"}`, nil, "echo", true},
		{"braced body variable", `${request.body.action}`, `{"action":"echo"}`, nil, "echo", true},
		{"two variables with literal between", `${request.body.service}/${request.body.action}`, `{"service":"chat","action":"join"}`, nil, "chat/join", true},
		{"literal suffix after braced variable", `${request.body.version}-beta`, `{"version":"v2"}`, nil, "v2-beta", true},
		{"nested path", `$request.body.data.room`, `{"data":{"room":"lobby"}}`, nil, "lobby", true},
		{"integer as JSON text", `$request.body.action`, `{"action":42}`, nil, "42", true},
		{"decimal keeps its JSON text", `$request.body.action`, `{"action":1.50}`, nil, "1.50", true},
		{"boolean as JSON text", `$request.body.action`, `{"action":true}`, nil, "true", true},
		{"array joined with comma and space, strings unquoted", `$request.body.action`, `{"action":["a","b"]}`, nil, "[a, b]", true},
		{"array of mixed items", `$request.body.action`, `{"action":["a",1,false,null,{"k":"v"},["x","y"]]}`, nil, `[a, 1, false, null, {"k":"v"}, [x, y]]`, true},
		{"empty array", `$request.body.action`, `{"action":[]}`, nil, "[]", true},
		{"array inside a template", `x${request.body.a}y`, `{"a":[1, 2]}`, nil, "x[1, 2]y", true},
		{"object as raw JSON", `$request.body.action`, `{"action":{"a": 1}}`, nil, `{"a": 1}`, true},
		{"escaped string is unescaped", `$request.body.action`, `{"action":"a\"b\u0041"}`, nil, `a"bA`, true},
		{"empty string is a value", `$request.body.action`, `{"action":""}`, nil, "", true},
		{"missing key", `$request.body.action`, `{"data":"hello"}`, nil, "", false},
		{"null counts as missing", `$request.body.action`, `{"action":null}`, nil, "", false},
		{"body is not JSON", `$request.body.action`, `hello`, nil, "", false},
		{"body is truncated JSON", `$request.body.action`, `{"action":"echo"`, nil, "", false},
		{"empty body", `$request.body.action`, ``, nil, "", false},
		{"body is a JSON array", `$request.body.0`, `["first"]`, nil, "first", true},
		{"whole body", `$request.body`, `{"a": 1}`, nil, `{"a": 1}`, true},
		{"whole body must be JSON", `$request.body`, `not json`, nil, "", false},
		{"gjson count", `$request.body.items.#`, `{"items":[1,2,3]}`, nil, "3", true},
		{"gjson index", `${request.body.items.1}`, `{"items":["a","b"]}`, nil, "b", true},
		{"one of two variables missing leaves it empty", `${request.body.a}-${request.body.b}`, `{"a":"x"}`, nil, "x-", true},
		{"all variables missing", `${request.body.a}-${request.body.b}`, `{}`, nil, "", false},
		{"values are not evaluated again", `$request.body.action`, `{"action":"$request.body.other","other":"x"}`, nil, "$request.body.other", true},
		{"escaped dollar is literal default", `\$default`, `{}`, nil, "$default", true},
		{"default expression", `$default`, `not json`, nil, "$default", true},
		{"literal only", `echo`, `not json`, nil, "echo", true},
		{"unbraced name stops at slash", `$request.header.Host/x`, ``, sampleSource, "abcdef1234.example.com/x", true},
		{"header case-insensitive through source", `$request.header.X-API-Key`, ``, sampleSource, "key-123", true},
		{"header missing", `$request.header.x-missing`, ``, sampleSource, "", false},
		{"context authorizer key", `$context.authorizer.usageIdentifierKey`, ``, sampleSource, "usage-1", true},
		{"stage variable", `$stageVariables.color`, ``, sampleSource, "blue", true},
		{"query string", `$request.querystring.token`, ``, sampleSource, "abc", true},
		{"path parameter", `$request.path.id`, ``, sampleSource, "7", true},
		{"HTTP route key", `${request.method} ${request.path}`, ``, sampleSource, "GET /pets/7", true},
		{"method missing", `$request.method`, ``, testSource{}, "", false},
		{"nil source leaves header missing", `$request.header.x-api-key`, ``, nil, "", false},
		{"non-body expression ignores a non-JSON body", `$request.header.x-api-key`, `not json`, sampleSource, "key-123", true},
		{"body and header", `${request.body.action}:${request.header.x-api-key}`, `{"action":"a"}`, sampleSource, "a:key-123", true},
		{"integration response through optional interface", `${integration.response.statuscode}`, ``, integrationSource{response: map[string]string{"statuscode": "200"}}, "200", true},
		{"integration response without optional interface", `${integration.response.statuscode}`, ``, sampleSource, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := routeselect.Parse(tt.expr)
			require.NoError(t, err)
			got, ok := e.Evaluate([]byte(tt.body), tt.src)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseReportsExpressionProperties(t *testing.T) {
	tests := []struct {
		expr      string
		isDefault bool
		usesBody  bool
	}{
		{`$default`, true, false},
		{`\$default`, false, false},
		{`$request.body.action`, false, true},
		{`$request.body`, false, true},
		{`${request.method} ${request.path}`, false, false},
		{`$request.header.x-api-key`, false, false},
		{`${request.header.x}-${request.body.y}`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e := routeselect.MustParse(tt.expr)
			require.Equal(t, tt.expr, e.String())
			require.Equal(t, tt.isDefault, e.IsDefault())
			require.Equal(t, tt.usesBody, e.UsesBody())
		})
	}
}

func TestParseRejectsBadExpressionsNamingThePart(t *testing.T) {
	tests := []struct {
		expr   string
		part   string
		offset int
		reason string
	}{
		{``, ``, 0, "empty expression"},
		{`$`, `$`, 0, "variable without a name"},
		{`a $ b`, `$`, 2, "variable without a name"},
		{`${}`, `${}`, 0, "variable without a name"},
		{`x${request.body.action`, `${`, 1, "unclosed variable"},
		{`$request.foo`, `request.foo`, 1, "unknown variable"},
		{`abc ${foo.bar}`, `foo.bar`, 6, "unknown variable"},
		{`x$default`, `default`, 2, "unknown variable"},
		{`$request.header.`, `request.header.`, 1, "variable without a name after its namespace"},
		{`${request.body.}`, `request.body.`, 2, "variable without a name after its namespace"},
		{`$request.body.`, `request.body.`, 1, "variable without a name after its namespace"},
		{`$context.`, `context.`, 1, "variable without a name after its namespace"},
		{`$Request.body.action`, `Request.body.action`, 1, "unknown variable"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := routeselect.Parse(tt.expr)
			require.Error(t, err)
			var pe *routeselect.ParseError
			require.True(t, errors.As(err, &pe), "error %v is not a *ParseError", err)
			require.Equal(t, tt.part, pe.Part)
			require.Equal(t, tt.offset, pe.Offset)
			require.Equal(t, tt.reason, pe.Reason)
			require.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestMustParsePanicsOnBadExpression(t *testing.T) {
	require.Panics(t, func() { routeselect.MustParse("$nope") })
}

func TestEvaluateResultDoesNotAliasTheBody(t *testing.T) {
	body := []byte(`{"action":"echo"}`)
	got, ok := routeselect.MustParse(`$request.body.action`).Evaluate(body, nil)
	require.True(t, ok)
	copy(body, `{"action":"XXXX"}`)
	require.Equal(t, "echo", got)
}
