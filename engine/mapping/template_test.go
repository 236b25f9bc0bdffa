package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const sampleBody = `{"action": "sendmessage", "data": {"room": "lobby", "text": "hi \"there\"\n", "tags": ["a", "b c"], "n": 1.50, "ok": true, "none": null},
 "list": [{"id": 1}, {"id": 2}], "0": "zero", "": "empty key", "a.b": "dotted", "uni": "\u00e9\ud83d\ude00"}`

func TestRenderProducesExpectedOutput(t *testing.T) {
	tests := []struct {
		name string
		src  string
		body string
		want string
	}{
		// literal text and escapes
		{"empty template renders nothing", ``, sampleBody, ``},
		{"literal text is copied verbatim", `{"statusCode": 200}`, sampleBody, `{"statusCode": 200}`},
		{"escaped dollar is a literal dollar", `\$input.body`, sampleBody, `$input.body`},
		{"escaped hash is a literal hash", `\#if(x)`, sampleBody, `#if(x)`},
		{"other backslashes are literal", `a\nb\\c\`, sampleBody, `a\nb\\c\`},
		{"dollar before a digit is literal", `cost: $5`, sampleBody, `cost: $5`},
		{"dollar before space, dot or end is literal", `$ $. $`, sampleBody, `$ $. $`},
		{"double dollar is literal then a reference", `$$context.stage`, sampleBody, `$prod`},
		{"bang and brace without identifier are literal", `$! ${ $!{ $!{1}`, sampleBody, `$! ${ $!{ $!{1}`},
		{"hash before a non-letter is literal", `#1 # #{ #}`, sampleBody, `#1 # #{ #}`},
		{"hash before an unknown name is literal", `#ff0000 #/path #ifx #{foo}`, sampleBody, `#ff0000 #/path #ifx #{foo}`},

		// $input.body
		{"input body is the raw body", `$input.body`, `raw {not json`, `raw {not json`},
		{"input body inside text", `{"wrapped": $input.body}`, `{"a":1}`, `{"wrapped": {"a":1}}`},
		{"empty body renders empty", `[$input.body]`, ``, `[]`},
		{"dot after a reference is literal when no name follows", `$input.body.`, `x`, `x.`},

		// $input.json
		{"input json of the root is the compact body", `$input.json('$')`, "{ \"a\" : [1, 2] }\n", `{"a":[1,2]}`},
		{"input json of a string is quoted", `$input.json('$.action')`, sampleBody, `"sendmessage"`},
		{"input json keeps escapes", `$input.json('$.data.text')`, sampleBody, `"hi \"there\"\n"`},
		{"input json of an object is compact", `$input.json('$.data.tags')`, sampleBody, `["a","b c"]`},
		{"input json number keeps its text", `$input.json("$.data.n")`, sampleBody, `1.50`},
		{"input json with index", `$input.json('$.list[1]')`, sampleBody, `{"id":2}`},
		{"input json with index then name", `$input.json('$.list[0].id')`, sampleBody, `1`},
		{"input json with bracket name", `$input.json("$['data']['room']")`, sampleBody, `"lobby"`},
		{"input json bracket name with a dot", `$input.json("$['a.b']")`, sampleBody, `"dotted"`},
		{"input json digit key on an object", `$input.json("$['0']")`, sampleBody, `"zero"`},
		{"input json empty key", `$input.json("$['']")`, sampleBody, `"empty key"`},
		{"input json index on an object is missing", `$input.json('$.data[0]')`, sampleBody, `null`},
		{"input json digit key on an array is missing", `$input.json("$.list['0']")`, sampleBody, `null`},
		{"input json index out of range is null", `$input.json('$.list[5]')`, sampleBody, `null`},
		{"input json missing value is null", `{"x": $input.json('$.missing')}`, sampleBody, `{"x": null}`},
		{"input json of json null is null", `$input.json('$.data.none')`, sampleBody, `null`},
		{"input json on a body that is not JSON is null", `$input.json('$')`, `{"a":`, `null`},
		{"input json on an empty body is null", `$input.json('$.a')`, ``, `null`},
		{"input json with spaces inside the call", `$input.json( '$.data.ok' )`, sampleBody, `true`},

		// $input.path
		{"input path of a string is unquoted", `$input.path('$.data.room')`, sampleBody, `lobby`},
		{"input path unescapes strings", `$input.path('$.data.text')`, sampleBody, "hi \"there\"\n"},
		{"input path decodes unicode escapes", `$input.path('$.uni')`, sampleBody, "é😀"},
		{"input path of a number", `$input.path('$.data.n')`, sampleBody, `1.50`},
		{"input path of a bool", `$input.path('$.data.ok')`, sampleBody, `true`},
		{"input path of an array prints as a Java list", `$input.path('$.data.tags')`, sampleBody, `[a, b c]`},
		{"input path of an object prints as a Java map", `$input.path('$.list[0]')`, sampleBody, `{id=1}`},
		{"input path of json null renders empty", `[$input.path('$.data.none')]`, sampleBody, `[]`},
		{"input path missing is empty", `"$input.path('$.nope.deeper')"`, sampleBody, `""`},
		{"input path on a body that is not JSON is empty", `"$input.path('$.a')"`, `nope`, `""`},

		// $input.params
		{"input params returns the parameter", `$input.params('petId')`, ``, `42`},
		{"input params double quoted", `$input.params("q")`, ``, `a b&c`},
		{"input params missing is empty", `"$input.params('nope')"`, ``, `""`},

		// $context and $stageVariables
		{"context value", `$context.requestId`, ``, `R1knPH17NjMFftw=`},
		{"context dotted names", `$context.identity.sourceIp $context.authorizer.principalId`, ``, `203.0.113.7 user-1`},
		{"context empty value is present", `[$context.empty]`, ``, `[]`},
		{"context missing renders empty as in API Gateway", `"$context.nope.deeper"`, ``, `""`},
		{"context followed by punctuation", `$context.stage. $context.stage, ($context.stage)`, ``, `prod. prod, (prod)`},
		{"context name includes hyphens as in VTL", `[$context.stage-x]`, ``, `[]`},
		{"stage variable", `$stageVariables.color`, ``, `blue`},
		{"stage variable missing renders empty", `[$stageVariables.size]`, ``, `[]`},
		{"stage variable in index notation", `$stageVariables['color'] ${stageVariables['color']}`, ``, `blue blue`},

		// formal and quiet notation
		{"formal notation", `${context.stage}-beta`, ``, `prod-beta`},
		{"formal notation input body", `${input.body}`, `b`, `b`},
		{"formal notation with a method", `${input.json('$.action')}`, sampleBody, `"sendmessage"`},
		{"formal missing context renders empty", `[${context.nope}]`, ``, `[]`},
		{"formal missing variable renders its source", `${nope}`, ``, `${nope}`},
		{"formal followed by dot name is literal", `${context.stage}.x`, ``, `prod.x`},
		{"formal followed by a bracket is literal", `${context.stage}[0]`, ``, `prod[0]`},
		{"quiet missing renders empty", `[$!context.nope]`, ``, `[]`},
		{"quiet formal missing renders empty", `[$!{context.nope}]`, ``, `[]`},
		{"quiet present renders the value", `$!context.stage $!{stageVariables.color}`, ``, `prod blue`},

		// undefined references
		{"undefined reference renders its source", `$foo and $foo.bar and ${foo}`, ``, `$foo and $foo.bar and ${foo}`},
		{"quiet undefined reference renders empty", `[$!foo.bar][$!{foo}]`, ``, `[][]`},
		{"undefined reference followed by bracket", `$foo[0]`, ``, `$foo[0]`},

		// $util
		{"escapeJavaScript", `$util.escapeJavaScript($context.quote)`, ``, `it\'s \"x\"\/y`},
		{"escapeJavaScript of a body", `$util.escapeJavaScript($input.body)`, "a\tb\u0001é😀", `a\tb\u0001\u00E9\uD83D\uDE00`},
		{"escapeJavaScript of input json", `"$util.escapeJavaScript($input.json('$.data'))"`, `{"data": {"a": "b"}}`, `"{\"a\":\"b\"}"`},
		{"base64Encode", `$util.base64Encode($input.body)`, `hello`, `aGVsbG8=`},
		{"base64Decode", `$util.base64Decode($input.body)`, `aGVsbG8=`, `hello`},
		{"base64Decode unpadded", `$util.base64Decode($input.body)`, `aGVsbG8`, `hello`},
		{"urlEncode", `$util.urlEncode($stageVariables.url)`, ``, `http%3A%2F%2Fexample.com%2Fa+b`},
		{"urlEncode keeps Java's unreserved set", `$util.urlEncode($input.body)`, `a.b-c*d_e~f`, `a.b-c*d_e%7Ef`},
		{"urlDecode", `$util.urlDecode($input.body)`, `a+b%2Fc%C3%A9`, `a b/cé`},
		{"urlEncode of a param", `$util.urlEncode($input.params('q'))`, ``, `a+b%26c`},
		{"util with a single-quoted literal", `$util.urlEncode('a b')`, ``, `a+b`},
		{"util with a double-quoted literal", `$util.base64Encode("hi")`, ``, `aGk=`},
		{"util with spaces around the argument", `$util.base64Encode( $input.body )`, `hi`, `aGk=`},
		{"nested util calls", `$util.base64Decode($util.base64Encode($input.path('$.data.room')))`, sampleBody, `lobby`},
		{"nested util calls on literals", `$util.urlEncode($util.base64Encode('a?'))`, ``, `YT8%3D`},
		{"util of input path", `$util.urlEncode($input.path('$.data.tags[1]'))`, sampleBody, `b+c`},
		{"util in formal notation", `${util.urlEncode($context.stage)}`, ``, `prod`},
		{"util with formal argument", `$util.urlEncode(${context.stage})`, ``, `prod`},
		{"util of missing renders its source", `$util.urlEncode($context.nope)`, ``, `$util.urlEncode($context.nope)`},
		{"quiet util of missing renders empty", `[$!util.urlEncode($context.nope)]`, ``, `[]`},
		{"util of undefined renders its source", `$util.urlEncode($foo)`, ``, `$util.urlEncode($foo)`},
		{"nested util of missing renders the outer source", `$util.urlEncode($util.base64Encode($context.nope))`, ``, `$util.urlEncode($util.base64Encode($context.nope))`},

		// AWS examples
		{
			"websocket echo with connection id",
			`{"connectionId": "$context.connectionId", "route": "$context.routeKey", "data": $input.json('$.data')}`,
			`{"action":"echo","data":{"x":1}}`,
			`{"connectionId": "R1kmxc2VNjMCFIA=", "route": "sendmessage", "data": {"x":1}}`,
		},
		{"gateway response default template", `{"message":$context.error.messageString}`, ``, `{"message":}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.NoError(t, err)
			require.Equal(t, tt.src, tpl.Source())
			got, err := tpl.Render(nil, newTestVars(tt.body))
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}

func TestRenderAppendsToDst(t *testing.T) {
	tpl, err := Parse(`[$input.body]`)
	require.NoError(t, err)
	got, err := tpl.Render([]byte("prefix:"), newTestVars("x"))
	require.NoError(t, err)
	require.Equal(t, "prefix:[x]", string(got))
}

func TestRenderFailsOnInvalidDecodeInput(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		body      string
		wantErr   string
		line, col int
	}{
		{"base64Decode of invalid input", "ok\n  $util.base64Decode($input.body)", `@@@@`, "mapping template line 2 col 3: $util.base64Decode: illegal base64 data at input byte 0", 2, 3},
		{"base64Decode with a newline", `$util.base64Decode($input.body)`, "aGk=\n", "line 1 col 1: $util.base64Decode: illegal base64 data", 1, 1},
		{"urlDecode of a bad escape", `é $util.urlDecode($input.body)`, `a%zz`, `line 1 col 3: $util.urlDecode: invalid escape "%zz"`, 1, 3},
		{"urlDecode of a cut escape", `$util.urlDecode($input.body)`, `a%2`, "$util.urlDecode: incomplete escape", 1, 1},
		{"nested decode failure", `$util.urlEncode($util.base64Decode($input.path('$.a')))`, `{"a":"!"}`, "line 1 col 17: $util.base64Decode", 1, 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.NoError(t, err)
			got, err := tpl.Render([]byte("keep"), newTestVars(tt.body))
			require.ErrorContains(t, err, tt.wantErr)
			var me *Error
			require.ErrorAs(t, err, &me)
			require.Equal(t, tt.line, me.Line)
			require.Equal(t, tt.col, me.Column)
			require.NotNil(t, me.Unwrap())
			require.Equal(t, "keep", string(got))
		})
	}
}

func TestIsPassthroughOnlyForABareBodyReference(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`$input.body`, true},
		{`${input.body}`, true},
		{`$!input.body`, true},
		{`$input.body `, false},
		{` $input.body`, false},
		{`$input.json('$')`, false},
		{``, false},
		{`\$input.body`, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.NoError(t, err)
			require.Equal(t, tt.want, tpl.IsPassthrough())
		})
	}
}

func TestTemplateRendersConcurrently(t *testing.T) {
	tpl, err := Parse(`{"room": "$input.path('$.data.room')", "id": "$context.requestId", "b": "$util.base64Encode($input.body)"}`)
	require.NoError(t, err)
	want, err := tpl.Render(nil, newTestVars(sampleBody))
	require.NoError(t, err)
	done := make(chan []byte)
	for range 8 {
		go func() {
			var out []byte
			for range 100 {
				out, _ = tpl.Render(out[:0], newTestVars(sampleBody))
			}
			done <- out
		}()
	}
	for range 8 {
		require.Equal(t, string(want), string(<-done))
	}
}
