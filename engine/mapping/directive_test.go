package mapping

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func renderString(t *testing.T, src, body string) string {
	t.Helper()
	tpl, err := Parse(src)
	require.NoError(t, err)
	out, err := tpl.Render(nil, newTestVars(body))
	require.NoError(t, err)
	return string(out)
}

func TestDirectivesRenderAsVelocity(t *testing.T) {
	tests := []struct{ name, src, want string }{
		// #set
		{"set a string", `#set($a = "x")$a`, `x`},
		{"set line renders nothing", "#set($a = 1)\n$a\n", "1\n"},
		{"set eats its indentation at a line start", "x\n#set($a = 1)\n    #set($b = 2)\n$a$b", "x\n12"},
		{"set keeps indentation after text on the line", "x  #set($a = 1)$a", "x  1"},
		{"set eats spaces after a reference", "$context.stage  #set($a = 1)$a", "prod1"},
		{"set null leaves the variable", `#set($a = 1)#set($a = $nope)$a`, `1`},
		{"set a property of a map", `#set($m = {})#set($m.k = "v")$m.k $m`, `v {k=v}`},
		{"set an index of a list", `#set($l = [1, 2])#set($l[0] = 9)$l`, `[9, 2]`},
		{"set a key of a map by index", `#set($m = {})#set($m['a b'] = 1)$m`, `{a b=1}`},
		{"braced set", `#{set}($a = 2)$a`, `2`},
		{"set with spaces before the paren", `#set  ($a = 3)$a`, `3`},

		// #if
		{"if true", `#if(true)yes#end`, `yes`},
		{"if false else", `#if(false)yes#else no#end`, ` no`},
		{"elseif", `#set($n = 2)#if($n == 1)one#elseif($n == 2)two#else many#end`, `two`},
		{"braced forms", `#{if}(true)a#{else}b#{end}`, `a`},
		{"if line eats its newline, keeps its indentation", "  #if(true)\n  a\n  #end\nb", "    a\n  b"},
		{"null is false", `#if($nope)y#else n#end`, ` n`},
		{"empty string is true in Velocity 1.7", `#if("")y#end`, `y`},
		{"missing context is false", `#if($context.nope)y#else n#end`, ` n`},
		{"a present value is true", `#if($context.stage)y#end`, `y`},
		{"zero is true", `#if(0)y#end`, `y`},
		{"else eats its newline", "#if(false)a\n#else\nb\n#end\n", "b\n"},

		// #foreach
		{"foreach over a range", `#foreach($i in [1..3])$i#end`, `123`},
		{"descending range", `#foreach($i in [3..1])$i#end`, `321`},
		{"range from references", `#set($a = 2)#set($b = 4)#foreach($i in [$a..$b])$i#end`, `234`},
		{"foreach hasNext", `#foreach($i in [1, 2, 3])$i#if($foreach.hasNext),#end#end`, `1,2,3`},
		{"foreach index and count", `#foreach($i in ['a', 'b'])$foreach.index$foreach.count#end`, `0112`},
		{"velocityCount", `#foreach($i in ['a', 'b'])$velocityCount#end`, `12`},
		{"velocityHasNext", `#foreach($i in ['a', 'b'])$velocityHasNext #end`, `true false `},
		{"foreach first and last", `#foreach($i in [1, 2])$foreach.first/$foreach.last #end`, `true/false false/true `},
		{"nested foreach parent", `#foreach($a in [1, 2])#foreach($b in [3])$foreach.parent.index#end#end`, `01`},
		{"foreach over a map iterates values", `#foreach($v in {"a": 1, "b": 2})$v#end`, `12`},
		{"foreach over entrySet", `#set($m = {"a": 1, "b": 2})#foreach($e in $m.entrySet())$e.key=$e.value;#end`, `a=1;b=2;`},
		{"foreach over keySet", `#set($m = {"a": 1, "b": 2})#foreach($k in $m.keySet())$k:$m.get($k) #end`, `a:1 b:2 `},
		{"foreach over null renders nothing", `#foreach($i in $nope)x#end.`, `.`},
		{"foreach over a string renders nothing", `#foreach($i in "abc")x#end.`, `.`},
		{"loop variable is restored", `#set($i = "outer")#foreach($i in [1])$i#end $i`, `1 outer`},
		{"foreach over input path", `#foreach($t in $input.path('$.data.tags'))[$t]#end`, `[a][b c]`},
		{"foreach line gobbling", "[\n#foreach($i in [1, 2])\n  $i\n#end\n]", "[\n  1\n  2\n]"},

		// #break and #stop
		{"break leaves the loop", `#foreach($i in [1..5])#if($i == 3)#break#end$i#end.`, `12.`},
		{"break inner loop only", `#foreach($a in [1, 2])#foreach($b in [1, 2])#break#end$a#end`, `12`},
		{"stop ends the template", `a#stop b`, `a`},
		{"stop inside a loop", `#foreach($i in [1..5])$i#if($i == 2)#stop#end#end.`, `12`},

		// #macro
		{"macro without arguments", "#macro(hello)hi#end\n#hello()", "hi"},
		{"macro with arguments", `#macro(greet $who $p)Hello $who$p#end#greet("you" "!")`, `Hello you!`},
		{"macro arguments with commas", `#macro(add $a, $b)#set($s = $a + $b)$s#end#add(1, 2)`, `3`},
		{"macro defined after use", `#later(1)#macro(later $x)[$x]#end`, `[1]`},
		{"macro argument is restored", `#set($x = "g")#macro(m $x)$x#end#m("l")$x`, `lg`},
		{"unknown macro prints the call", `#nosuch($a, 'b')!`, `#nosuch($a, 'b')!`},
		{"recursive macro", `#macro(down $n)$n#if($n > 0)#set($m = $n - 1)#down($m)#end#end#down(3)`, `3210`},
		{"macro call line eats its newline", "#macro(m)x#end\n#m()\ny", "xy"},

		// comments and unparsed content
		{"line comment", "a## note\nb", "ab"},
		{"line comment at the end", "a## note", "a"},
		{"block comment", "a#* note\n more *#b", "ab"},
		{"block comment keeps the newline after it", "a#* c *#\nb", "a\nb"},
		{"unparsed block", `#[[ $x #if(]]#!`, ` $x #if(!`},

		// escapes
		{"escaped reference with a value", `\$context.stage`, `$context.stage`},
		{"escaped reference without a value", `\$nope`, `\$nope`},
		{"double backslash before a reference", `\\$context.stage`, `\prod`},
		{"escaped directive", `\#if(true)x\#end`, `#if(true)x#end`},
		{"escaped non-directive keeps its backslash", `\#ff`, `\#ff`},
		{"other backslashes are literal", `a\nb\\c\`, `a\nb\\c\`},
		{"hash before a non-letter is literal", `#1 # #{ #}`, `#1 # #{ #}`},
		{"unknown directive word is literal", `#ff0000 #/path #ifx #{foo}`, `#ff0000 #/path #ifx #{foo}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, renderString(t, tt.src, sampleBody))
		})
	}
}

func TestOperatorsFollowJavaAndVelocity(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`1 + 2`, `3`}, {`7 - 10`, `-3`}, {`6 * 7`, `42`}, {`7 / 2`, `3`}, {`-7 / 2`, `-3`}, {`7 % 3`, `1`}, {`-7 % 3`, `-1`},
		{`7.0 / 2`, `3.5`}, {`1.5 + 1`, `2.5`}, {`0.1 + 0.2`, `0.30000000000000004`}, {`10.0 * 1000000`, `1.0E7`},
		{`2.0 * 2`, `4.0`}, {`1 / 0`, `$x`}, {`5 % 0`, `$x`}, {`1.0 / 4`, `0.25`}, {`0.0001 * 1`, `1.0E-4`},
		{`2147483647 + 1`, `2147483648`}, {`1 + 2 * 3`, `7`}, {`(1 + 2) * 3`, `9`},
		{`"a" + "b"`, `ab`}, {`"a" + 1`, `a1`}, {`1 + "a"`, `1a`}, {`"n=" + $nope`, `n=$nope`}, {`"l" + [1, 2]`, `l[1, 2]`},
		{`1 == 1`, `true`}, {`1 == 1.0`, `true`}, {`"1" == 1`, `true`}, {`"a" == "a"`, `true`}, {`"a" != "b"`, `true`},
		{`$nope == $nope2`, `true`}, {`$nope == 1`, `false`}, {`[1, 2] == [1, 2]`, `true`}, {`true == "true"`, `true`},
		{`1 < 2`, `true`}, {`2 <= 2`, `true`}, {`3 > 2`, `true`}, {`2 >= 3`, `false`}, {`"a" < "b"`, `false`},
		{`1 lt 2`, `true`}, {`1 le 1`, `true`}, {`2 gt 1`, `true`}, {`1 ge 2`, `false`}, {`1 eq 1`, `true`}, {`1 ne 1`, `false`},
		{`true && false`, `false`}, {`true || false`, `true`}, {`!true`, `false`}, {`!$nope`, `true`},
		{`true and true`, `true`}, {`false or true`, `true`}, {`not false`, `true`}, {`!(1 == 2)`, `true`},
		{`$nope && $nope.foo()`, `false`}, {`1 == 1 && 2 == 2 || false`, `true`},
		{`[1, "a", true]`, `[1, a, true]`}, {`{"k": "v", "n": 1}`, `{k=v, n=1}`}, {`[]`, `[]`}, {`{}`, `{}`}, {`[1..3]`, `[1, 2, 3]`},
		{`"it's"`, `it's`}, {`'single $x'`, `single $x`}, {`"double ${context.stage}"`, `double prod`}, {`'it''s'`, `it's`},
		{`"say ""hi"""`, `say "hi"`}, {`"\u00e9"`, `é`}, {`"tab\t"`, `tab\t`}, {`"#if(true)y#end"`, `y`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			require.Equal(t, tt.want, renderString(t, "#set($x = "+tt.expr+")$x", ""))
		})
	}
}

func TestMethodsFollowJava(t *testing.T) {
	tests := []struct{ src, want string }{
		{`#set($s = "Hello World")$s.length() $s.size`, `11 $s.size`},
		{`#set($s = "é😀")$s.length()`, `3`},
		{`#set($s = "")$s.isEmpty() $s.empty`, `true true`},
		{`#set($s = "abc")$s.contains("b") $s.startsWith("a") $s.endsWith("bc") $s.startsWith("b", 1)`, `true true true true`},
		{`#set($s = "abcabc")$s.indexOf("c") $s.indexOf("c", 3) $s.lastIndexOf("a") $s.indexOf("z")`, `2 5 3 -1`},
		{`#set($s = "abcdef")$s.substring(2) $s.substring(1, 3) $s.charAt(0)`, `cdef bc a`},
		{`#set($s = "a-b-c")$s.replace("-", "+") $s.replaceAll("[-]", "") $s.replaceFirst("-", "=")`, `a+b+c abc a=b-c`},
		{`#set($s = "john smith")$s.replaceAll("(\w+) (\w+)", "$2, $1")`, `smith, john`},
		{`#set($s = "a,b,,c,,")$s.split(",") $s.split(",").size() $s.split(",", -1).size()`, `[a, b, , c] 4 6`},
		{`#set($s = "a1b22c")$s.split("\d+")`, `[a, b, c]`},
		{`#set($s = " MiXed ")[$s.trim()] $s.toLowerCase() $s.toUpperCase()`, `[MiXed]  mixed   MIXED `},
		{`#set($s = "abc")$s.equals("abc") $s.equalsIgnoreCase("ABC") $s.matches("[a-c]+") $s.matches("b")`, `true true true false`},
		{`#set($s = "abc")$s.hashCode() $s.toString() $s.concat("d") $s.compareTo("abd")`, `96354 abc abcd -1`},
		{`#set($l = [3, 1, 2])$l.size() $l.get(0) $l[1] $l[-1] $l.contains(2) $l.indexOf(2) $l.isEmpty()`, `3 3 1 2 true 2 false`},
		{`#set($l = [])$l.add("a")$l.add(0, "b")$l $l.remove(0) $l $l.remove("a") $l`, `true$l.add(0, "b")[b, a] b [a] true []`},
		{`#set($l = [1, 2])#set($d = $l.add(3))$l $l.set(0, 9) $l $l.subList(1, 3)`, `[1, 2, 3] 1 [9, 2, 3] [2, 3]`},
		{`#set($m = {"a": 1})$m.put("b", 2) $m.put("a", 3) $m $m.get("a") $m.a $m.containsKey("b") $m.size()`, `$m.put("b", 2) 1 {a=3, b=2} 3 3 true 2`},
		{`#set($m = {"a": 1, "b": 2})$m.keySet() $m.values() $m.entrySet() $m.remove("a") $m $m.isEmpty()`, `[a, b] [1, 2] [a=1, b=2] 1 {b=2} false`},
		{`#set($m = {"a": 1})$m.getOrDefault("z", 0) $m.containsValue(1) $m.missing`, `0 true $m.missing`},
		{`#set($n = 42)$n.toString() $n.equals(42) $n.hashCode() $n.doubleValue()`, `42 true 42 42.0`},
		{`$input.path('$.list').size() $input.path('$.list')[0].id $input.path('$.data').room $input.path('$.data.tags').get(1)`, `2 1 lobby b c`},
		{`$input.path('$.list').count() $input.path('$.data').keySet()`, `2 [room, text, tags, n, ok, none]`},
		{`$input.json('$.data.tags').length() $input.body.substring(0, 9)`, `11 {"action"`},
		{`[$input.params().header.get('X')] $input.params().size()`, `[] 3`},
		{`$util.escapeJavaScript("it's").replaceAll("\\'", "'")`, `it's`},
		{`$util.parseJson('{"a": [1, {"b": "c"}]}').a[1].b $util.parseJson('[1, 2]').size()`, `c 2`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			require.Equal(t, tt.want, renderString(t, tt.src, sampleBody))
		})
	}
}

func TestRenderFailsOverLimitsAndOnBadCalls(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"runaway foreach", "x\n#foreach($i in [1..1001])#end", 2, 1, "#foreach exceeds 1000 iterations"},
		{"runaway foreach over a list", "#set($l = [])#foreach($i in [1..1000])#set($d = $l.add($i))#end#set($d = $l.add(0))\n #foreach($i in $l)#end", 2, 2, "#foreach exceeds 1000 iterations"},
		{"nested loops over the total budget", "#foreach($a in [1..1000])#foreach($b in [1..1000])#end#end", 1, 26, "in all"},
		{"macro recursion", "#macro(r)#r()#end#r()", 1, 10, "nested more than 20 deep"},
		{"output size", "#set($s = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\")#foreach($a in [1..1000])#foreach($b in [1..100])$s$s$s$s$s$s$s$s#end#end", 1, 0, "output exceeds"},
		{"method that does not exist at render", "#set($x = {'a': 1})\n$x.nosuch()", 2, 4, "method nosuch with 0 argument(s) does not exist on Map"},
		{"method with the wrong argument type", `#set($x = "abc")$x.substring("a")`, 1, 20, "method substring with 1 argument(s) does not exist on String"},
		{"substring out of range", `#set($x = "abc")$x.substring(5)`, 1, 20, ".substring: begin 5"},
		{"list get out of range", `#set($l = [1])$l.get(3)`, 1, 18, ".get(3): index out of bounds"},
		{"index out of range", `#set($l = [1])$l[3]`, 1, 17, "index 3 is out of bounds"},
		{"parseJson of invalid JSON", `$util.parseJson($input.body)`, 1, 1, "$util.parseJson: the argument is not valid JSON"},
		{"dynamic bad regex", `#set($p = "(?=x)")$input.body.matches($p)`, 1, 31, ".matches: regular expression"},
		{"dynamic bad JSONPath", `#set($p = "$..x")$input.json($p)`, 1, 25, "$input.json"},
		{"override set twice", "#set($context.responseOverride.status = 400)\n#set($context.responseOverride.status = 500)", 2, 6, "set twice"},
		{"integer overflow", `#set($x = 9223372036854775807 + 1)`, 1, 31, "integer overflow"},
		{"base64Decode of invalid input", "ok\n  $util.base64Decode($input.body)", 2, 3, "$util.base64Decode: illegal base64 data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src)
			require.NoError(t, err)
			out, err := tpl.Render([]byte("keep"), newTestVars(`not json`))
			require.ErrorContains(t, err, tt.msg)
			var me *Error
			require.ErrorAs(t, err, &me)
			require.Equal(t, tt.line, me.Line, "line of %v", err)
			if tt.col > 0 {
				require.Equal(t, tt.col, me.Column, "column of %v", err)
			}
			require.Equal(t, "keep", string(out), "a failed render leaves dst as it was")
		})
	}
}

func TestForeachRunsExactlyTheLimit(t *testing.T) {
	out := renderString(t, "#foreach($i in [1..1000])#end$velocityCount", "")
	require.Equal(t, "$velocityCount", out)
	out = renderString(t, "#set($n = 0)#foreach($i in [1..1000])#set($n = $n + 1)#end$n", "")
	require.Equal(t, "1000", out)
}

func TestOverridesAreDeliveredAfterRender(t *testing.T) {
	tpl, err := Parse(`#set($context.responseOverride.status = 400)#set($context.responseOverride.header.X-Id = "a$context.stage")#set($context.requestOverride.querystring.q = [1, 2])$context.responseOverride.status`)
	require.NoError(t, err)
	v := varsFromJSON(t, `{"context": {"stage": "prod"}}`)
	out, err := tpl.Render(nil, v)
	require.NoError(t, err)
	require.Equal(t, "400", string(out), "a template reads back what it set")
	require.Equal(t, "responseOverride.status = \"400\"\nresponseOverride.header.X-Id = \"aprod\"\nrequestOverride.querystring.q = \"1\" \"2\"\n", v.overridesText())
}

func TestParamsWithoutListerAreEmptyMaps(t *testing.T) {
	require.Equal(t, "{path={}, querystring={}, header={}} {}", renderString(t, `$input.params() $stageVariables`, ""))
}

func TestDeepJSONIsAnError(t *testing.T) {
	body := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	tpl, err := Parse(`$input.path('$')`)
	require.NoError(t, err)
	_, err = tpl.Render(nil, newTestVars(body))
	require.ErrorContains(t, err, "JSON nested more than")
}
