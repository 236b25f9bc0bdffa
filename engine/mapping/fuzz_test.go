package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzSeeds are templates covering every construct, valid and invalid.
var fuzzSeeds = []string{
	``,
	`{"statusCode": 200}`,
	`$input.body`,
	`${input.body}`,
	`$!input.body`,
	`{"a": $input.json('$.a'), "b": "$input.path('$.b[0]')", "c": $input.json("$['c d']")}`,
	`$input.params('id') $input.params("q")`,
	`$context.requestId $context.identity.sourceIp ${context.stage}-x $!context.nope $!{context.nope}`,
	`$stageVariables.color $stageVariables.nope`,
	`$util.escapeJavaScript($input.body) $util.urlEncode('a b') $util.base64Decode($util.base64Encode($input.json('$')))`,
	`$util.urlDecode($input.path('$.q'))`,
	`cost: $5 \$x \# # #1 #ff0000 $ $. $foo $foo.bar`,
	`#if($x) #end`,
	`## comment`,
	`$input.json('$..a')`,
	`${context.x`,
	`$util.parseJson($input.body)`,
	"line1\nline2 $input.foo",
	"#set($a = [1..3])#foreach($i in $a)$i#if($foreach.hasNext),#end#end",
	"#macro(m $x)[$x]#end#m('a')#m($input.path('$.a'))",
	"#if($a == 1 && !($b < 2.5) || $c.size() > 0)y#elseif($d)z#else n#end",
	"#set($m = {'k': [1, 'v']})$m.k[1] $m.keySet() #* c *# #[[ $raw ]]# \\$x \\#if",
	"#set($context.responseOverride.status = 400)#set($context.requestOverride.header.h = [$a, 'b'])",
	"#foreach($i in [1..2000])#end",
	"$input.body.replaceAll('(a)', '$1$1').split(',')[0].substring(1)",
}

// goldenSeeds adds every template under testdata/golden to the corpus.
func goldenSeeds(f *testing.F) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.vtl"))
	require.NoError(f, err)
	var seeds []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		seeds = append(seeds, string(b))
	}
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range append(fuzzSeeds, goldenSeeds(f)...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse(src)
		if err != nil {
			requirePositioned(t, src, err)
			return
		}
		require.Equal(t, src, tpl.Source())
		out, err := tpl.Render(nil, newTestVars(`{"a":[1,{"b":"c"}],"q":"x%20y"}`))
		if err != nil {
			requirePositioned(t, src, err)
		}
		if !strings.ContainsAny(src, `$#\`) {
			require.Equal(t, src, string(out), "a template without references renders as itself")
		}
	})
}

func FuzzRender(f *testing.F) {
	bodies := []string{``, `{}`, `{"a":1}`, `{"a":{"b":[1,"x",null]},"c d":"\u00e9\n"}`, `[1,2]`, `"s"`, `not json`, `aGVsbG8=`, `a%2Fb+c`}
	for i, s := range append(fuzzSeeds, goldenSeeds(f)...) {
		f.Add(s, []byte(bodies[i%len(bodies)]))
	}
	f.Fuzz(func(t *testing.T, src string, body []byte) {
		tpl, err := Parse(src)
		if err != nil {
			return
		}
		v := varsFromJSON(t, `{"context": {"stage": "prod"}, "stageVariables": {"a": "1"}, "params": {"path": {"p": "1"}, "querystring": {"q": "x"}, "header": {"h": "y"}}}`)
		v.body = body
		out, err := tpl.Render([]byte("dst"), v)
		if err != nil {
			requirePositioned(t, src, err)
			require.Equal(t, "dst", string(out), "a failed render leaves dst as it was")
			return
		}
		require.True(t, strings.HasPrefix(string(out), "dst"))
		if tpl.IsPassthrough() {
			require.Equal(t, "dst"+string(body), string(out))
		}
	})
}

// requirePositioned checks that err is an *Error with a position inside src.
func requirePositioned(t *testing.T, src string, err error) {
	t.Helper()
	var me *Error
	require.True(t, errors.As(err, &me), "error %v is an *Error", err)
	require.GreaterOrEqual(t, me.Line, 1)
	require.GreaterOrEqual(t, me.Column, 1)
	require.LessOrEqual(t, me.Line, strings.Count(src, "\n")+1)
	require.True(t, strings.HasPrefix(err.Error(), "mapping template line "), err.Error())
}
