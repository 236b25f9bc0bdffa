package mapping

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRejectsBadTemplatesWithPosition(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		// blocks
		{"unclosed if", "{\n  #if($x)\n  a\n}", 2, 3, "#if is not closed by #end"},
		{"unclosed if after else", "#if($x)a#else\nb", 1, 9, "#else is not closed by #end"},
		{"unclosed foreach", "#foreach($i in [1..3])$i", 1, 1, "#foreach is not closed by #end"},
		{"unclosed macro", "#macro(m)x", 1, 1, "#macro is not closed by #end"},
		{"stray end", "a\n#end", 2, 1, "#end without a matching #if"},
		{"stray else", "#else", 1, 1, "#else without a matching #if"},
		{"elseif after else", "#if($a)#else#elseif($b)#end", 1, 13, "#elseif after #else"},
		{"if without condition", "#if x #end", 1, 1, "#if and #elseif need a condition"},
		{"unclosed condition", "#if($x #end", 1, 8, "condition is not closed by )"},
		{"foreach without in", "#foreach($i of $l)#end", 1, 13, "#foreach expects 'in'"},
		{"foreach on a property", "#foreach($a.b in $l)#end", 1, 10, "#foreach loop variable must be a plain $name"},
		{"column counts characters not bytes", "éé #if(", 1, 8, "expected a value"},
		{"unclosed block comment", "a #* b", 1, 3, "comment #* is not closed by *#"},
		{"unclosed unparsed block", "#[[ raw", 1, 1, "unparsed content #[[ is not closed by ]]#"},
		{"include is not supported", "#include('x.vm')", 1, 1, "directive #include is not supported"},
		{"parse is not supported", "#parse('x.vm')", 1, 1, "directive #parse is not supported"},
		{"evaluate is not supported", "#evaluate('$x')", 1, 1, "directive #evaluate is not supported"},

		// #set
		{"set on input", "#set($input = 1)", 1, 6, "#set cannot assign $input"},
		{"set on input member", "#set($input.body = 'x')", 1, 6, "#set cannot assign $input"},
		{"set on util", "#set($util = 1)", 1, 6, "#set cannot assign $util"},
		{"set on stage variables", "#set($stageVariables.x = 1)", 1, 6, "#set cannot assign $stageVariables"},
		{"set on a context variable", "#set($context.requestId = 1)", 1, 6, "#set can assign only $context.requestOverride"},
		{"set on an override without a name", "#set($context.responseOverride.header = 1)", 1, 6, "#set can assign only"},
		{"set on a method call", "#set($a.b() = 1)", 1, 9, "#set cannot assign to a method call"},
		{"set without equals", "#set($a 1)", 1, 9, "#set expects = after $a"},
		{"set without a reference", "#set(a = 1)", 1, 6, "#set needs a reference"},
		{"unclosed set", "#set($a = 1", 1, 12, "#set( is not closed by )"},

		// references
		{"unclosed formal", "${context.stage", 1, 1, "${ is not closed by }"},
		{"formal with trailing junk", "${input.body x}", 1, 1, "${ is not closed by }"},
		{"unclosed method call", "$a.b(", 1, 6, "expected a value"},
		{"unclosed index", "$a[0", 1, 5, "[ is not closed by ]"},
		{"bad index", "$a[b]", 1, 4, "index must be an integer, a string or a reference"},
		{"operator in a method argument", "$a.b($c + 1)", 1, 9, "operators are not allowed in arguments"},
		{"bare word argument", "$input.params(name)", 1, 15, `unexpected word "name"`},

		// methods that do not exist, where the type is known
		{"unknown string method", "$input.body.size()", 1, 13, "method size with 0 argument(s) does not exist on String"},
		{"unknown method on a context value", "x $context.stage.foo()", 1, 18, "method foo with 0 argument(s) does not exist on String"},
		{"wrong argument count", "$input.json('$').substring()", 1, 18, "method substring with 0 argument(s) does not exist on String"},
		{"unknown method on params", "$input.params().keys()", 1, 17, "method keys with 0 argument(s) does not exist on Map"},
		{"unknown method on a method result", "$input.params().keySet().foo()", 1, 26, "method foo with 0 argument(s) does not exist on List"},
		{"unknown input member", "$input.headers", 1, 8, "$input.headers does not exist"},
		{"input body as a method", "$input.body()", 1, 8, "$input.body() is not a method"},
		{"unknown util function", "$util.toJson($x)", 1, 7, "$util.toJson does not exist"},
		{"util without call", "$util.urlEncode", 1, 7, "$util.urlEncode is not a function"},
		{"util with two arguments", "$util.urlEncode('a', 'b')", 1, 7, "takes one argument"},
		{"util with invalid literal", "\n $util.base64Decode('***')", 2, 2, "$util.base64Decode: illegal base64 data"},
		{"bad regex literal", `$input.body.replaceAll("(?<=a)b", "")`, 1, 24, ".replaceAll: regular expression"},

		// JSONPath literals
		{"jsonpath without root", `$input.json('a.b')`, 1, 14, "JSONPath must start with $"},
		{"jsonpath recursive descent", `$input.path('$..a')`, 1, 15, "recursive descent"},
		{"jsonpath wildcard", `$input.path('$.a[*]')`, 1, 18, "wildcard"},
		{"jsonpath filter", `$input.json("$.a[?(@.b)]")`, 1, 18, "filter"},

		// expressions
		{"missing operand", "#if($a ==)#end", 1, 10, "unexpected \")\""},
		{"unclosed paren", "#if(($a)#end", 1, 9, "condition is not closed by )"},
		{"unclosed list", "#set($l = [1, 2)", 1, 16, "list elements are values separated by commas"},
		{"bad map", "#set($m = {'a' 1})", 1, 16, "map entries are key : value"},
		{"unclosed string", "#set($s = 'abc)", 1, 11, "string literal is not closed"},
		{"range of strings", "#foreach($i in ['a'..3])#end", 1, 17, "range bounds must be integers or references"},
		{"huge integer", "#set($n = 99999999999999999999)", 1, 11, "out of range"},
		{"deep nesting", "#set($x = " + strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200) + ")", 1, 0, "nested more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.Nil(t, tpl)
			require.ErrorContains(t, err, tt.msg)
			var me *Error
			require.ErrorAs(t, err, &me)
			require.Equal(t, tt.line, me.Line, "line of %v", err)
			if tt.col > 0 {
				require.Equal(t, tt.col, me.Column, "column of %v", err)
			}
			require.Regexp(t, `^mapping template line \d+ col \d+: `, err.Error())
		})
	}
}

func TestParseRejectsTemplatesOverTheSizeLimit(t *testing.T) {
	_, err := Parse(strings.Repeat("x", MaxTemplateSize+1))
	var me *Error
	require.ErrorAs(t, err, &me)
	require.ErrorContains(t, err, "the limit is 307200")
	_, err = Parse(strings.Repeat("x", MaxTemplateSize))
	require.NoError(t, err)
}

func TestErrorMessageFormat(t *testing.T) {
	_, err := Parse("{\n  #if(true) x\n}")
	require.EqualError(t, err, "mapping template line 2 col 3: #if is not closed by #end")
}
