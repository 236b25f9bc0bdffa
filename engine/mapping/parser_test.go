package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRejectsUnsupportedConstructsWithPosition(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		// directives, comments, unparsed blocks
		{"if directive", `#if($x)`, 1, 1, "directive #if is not supported"},
		{"set directive on a later line", "{\n  \"a\": 1,\n  #set($x = 1)\n}", 3, 3, "directive #set is not supported"},
		{"foreach directive", `x #foreach($i in $l)`, 1, 3, "directive #foreach is not supported"},
		{"end directive", `#end`, 1, 1, "directive #end is not supported"},
		{"formal directive", `a#{else}b`, 1, 2, "directive #else is not supported"},
		{"column counts characters not bytes", `éé #stop`, 1, 4, "directive #stop is not supported"},
		{"line comment", `a ## note`, 1, 3, "comment ## is not supported"},
		{"block comment", `#* note *#`, 1, 1, "comment #* is not supported"},
		{"unparsed block", `#[[ raw ]]#`, 1, 1, "unparsed content #[[ is not supported"},

		// $input
		{"bare input", `$input`, 1, 1, "$input needs a member"},
		{"input with trailing dot", `$input.`, 1, 1, "$input needs a member"},
		{"unknown input member", `$input.headers`, 1, 8, "$input.headers is not supported"},
		{"input body as a method", `$input.body()`, 1, 8, "$input.body() is not supported"},
		{"input json without call", `$input.json`, 1, 8, "$input.json needs an argument in parentheses"},
		{"input params without a name", `$input.params()`, 1, 8, "$input.params() without an argument is not supported"},
		{"input params with a method after", `$input.params().header.get('x')`, 1, 8, "$input.params() without an argument"},
		{"input json with a reference argument", `$input.json($context.x)`, 1, 13, "argument must be a quoted string"},
		{"input json with an unclosed string", `$input.json('$.a`, 1, 13, "string argument is not closed"},
		{"input json with an unclosed call", `$input.json('$.a'`, 1, 18, "$input.json( is not closed by )"},
		{"input json with two arguments", `$input.json('$.a', '$.b')`, 1, 18, "$input.json takes one argument"},
		{"input json with junk before the paren", `$input.json('$.a' x)`, 1, 19, "$input.json expected )"},
		{"member after a method", `$input.json('$.a').size()`, 1, 19, "member .size after $input.json('$.a') is not supported"},
		{"member after body", `$input.body.length`, 1, 12, "member .length after $input.body is not supported"},
		{"index after a reference", `$input.body[0]`, 1, 12, "index notation after $input.body is not supported"},
		{"index after context", `$context.a[0]`, 1, 11, "index notation"},

		// JSONPath
		{"jsonpath without root", `$input.json('a.b')`, 1, 14, "JSONPath must start with $"},
		{"jsonpath recursive descent", `$input.path('$..a')`, 1, 15, "recursive descent"},
		{"jsonpath wildcard", `$input.path('$.a[*]')`, 1, 18, "wildcard"},
		{"jsonpath wildcard name", `$input.path('$.*')`, 1, 16, `character '*'`},
		{"jsonpath filter", `$input.json("$.a[?(@.b)]")`, 1, 18, "filter"},
		{"jsonpath negative index", `$input.json('$.a[-1]')`, 1, 18, "negative index"},
		{"jsonpath slice", `$input.json('$.a[1:2]')`, 1, 19, "slice"},
		{"jsonpath union", `$input.json("$['a','b']")`, 1, 19, "union"},
		{"jsonpath function", `$input.json('$.a.length()')`, 1, 24, `character '('`},
		{"jsonpath empty name", `$input.json('$.a.')`, 1, 17, ". needs a name"},
		{"jsonpath unclosed bracket", `$input.json('$.a[0')`, 1, 17, "[ is not closed"},
		{"jsonpath unclosed quoted name", `$input.json("$['a")`, 1, 16, "quoted name is not closed"},
		{"jsonpath huge index", `$input.json('$[99999999999]')`, 1, 16, "out of range"},
		{"jsonpath junk after root", `$input.json('$a')`, 1, 15, "unexpected 'a'"},

		// $context, $stageVariables
		{"bare context", `$context`, 1, 1, "$context needs a name"},
		{"bare context formal", `${context}`, 1, 1, "$context needs a name"},
		{"bare stage variables", `x $stageVariables.`, 1, 3, "$stageVariables needs a name"},
		{"method on context", `$context.authorizer.get('x')`, 1, 21, "method call $context.authorizer.get() is not supported"},
		{"method on undefined", `$foo.bar()`, 1, 6, "method call $foo.bar() on an undefined reference is not supported"},

		// formal notation
		{"unclosed formal", `${context.stage`, 1, 1, "${ is not closed by }"},
		{"formal with trailing junk", `${input.body x}`, 1, 1, "${ is not closed by }"},

		// $util
		{"bare util", `$util`, 1, 1, "$util needs a function"},
		{"unsupported util", `$util.parseJson($input.body)`, 1, 7, "$util.parseJson is not supported"},
		{"util without call", `$util.urlEncode`, 1, 7, "$util.urlEncode needs an argument in parentheses"},
		{"util without argument", `$util.urlEncode()`, 1, 17, "$util.urlEncode() needs one argument"},
		{"util with a number", `$util.urlEncode(5)`, 1, 17, "argument must be a reference or a quoted string"},
		{"util with a bare dollar", `$util.urlEncode($ )`, 1, 17, "argument must be a reference or a quoted string"},
		{"util with two arguments", `$util.urlEncode('a', 'b')`, 1, 20, "takes one argument"},
		{"util with interpolation", `$util.urlEncode("id $context.requestId")`, 1, 21, "reference inside a \"...\" string is not supported"},
		{"util with invalid literal", "\n $util.base64Decode('***')", 2, 2, "$util.base64Decode: illegal base64 data"},
		{"util with an error inside its argument", `$util.urlEncode($input.foo)`, 1, 24, "$input.foo is not supported"},
		{"util nested too deep", nested(maxUtilDepth + 1), 1, 1 + 16*len("$util.urlEncode("), "nested more than 16 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.Nil(t, tpl)
			require.ErrorContains(t, err, tt.msg)
			var me *Error
			require.ErrorAs(t, err, &me)
			require.Equal(t, tt.line, me.Line, "line of %v", err)
			require.Equal(t, tt.col, me.Column, "column of %v", err)
			require.Regexp(t, `^mapping template line \d+ col \d+: `, err.Error())
		})
	}
}

func TestParseAcceptsNestingUpToTheLimit(t *testing.T) {
	tpl, err := Parse(nested(maxUtilDepth))
	require.NoError(t, err)
	out, err := tpl.Render(nil, newTestVars("a"))
	require.NoError(t, err)
	require.Equal(t, "a", string(out))
}

// nested returns n $util.urlEncode calls around $input.body.
func nested(n int) string {
	s := "$input.body"
	for range n {
		s = "$util.urlEncode(" + s + ")"
	}
	return s
}

func TestErrorMessageFormat(t *testing.T) {
	_, err := Parse("{\n  #if(true) x #end\n}")
	require.EqualError(t, err, "mapping template line 2 col 3: directive #if is not supported")
}
