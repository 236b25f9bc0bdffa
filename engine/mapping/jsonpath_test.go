package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJSONPathTranslatesToGJSON(t *testing.T) {
	tests := []struct {
		path     string
		gjson    string
		stepwise bool
	}{
		{`$`, ``, false},
		{`$.a`, `a`, false},
		{`$.a.b`, `a.b`, false},
		{`$['a']`, `a`, false},
		{`$["a"]["b c"]`, `a.b c`, false},
		{`$['a.b']`, `a\.b`, false},
		{`$['it\'s']`, `it\'s`, false},
		{`$['*?|#@!']`, `\*\?\|\#\@\!`, false},
		{`$.a[0]`, `a.0`, true},
		{`$[ 007 ]`, `7`, true},
		{`$['0']`, `0`, true},
		{`$['']`, ``, true},
		{`$.a-b_c$d`, `a-b_c\$d`, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			jp, _, err := compileJSONPath(tt.path)
			require.NoError(t, err)
			require.Equal(t, tt.gjson, jp.gjson)
			require.Equal(t, tt.stepwise, jp.stepwise)
		})
	}
}

func TestJSONPathLookupFindsValues(t *testing.T) {
	const body = ` {"a": {"b": [10, {"c": "x"}], "0": "zero", "k.e.y": 1, "": {"": 2}}, "arr": [[1, 2], [3]]} `
	tests := []struct {
		path  string
		want  string
		found bool
	}{
		{`$`, `{"a": {"b": [10, {"c": "x"}], "0": "zero", "k.e.y": 1, "": {"": 2}}, "arr": [[1, 2], [3]]}`, true},
		{`$.a.b[1].c`, `"x"`, true},
		{`$.a.b[0]`, `10`, true},
		{`$.a.b[2]`, ``, false},
		{`$.a['0']`, `"zero"`, true},
		{`$.a[0]`, ``, false},
		{`$.a.b['0']`, ``, false},
		{`$.a['k.e.y']`, `1`, true},
		{`$.a[''][""]`, `2`, true},
		{`$.arr[0][1]`, `2`, true},
		{`$.arr[1][0]`, `3`, true},
		{`$.nope`, ``, false},
		{`$.a.b.c`, ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			jp, _, err := compileJSONPath(tt.path)
			require.NoError(t, err)
			got, found := jp.lookup(body)
			require.Equal(t, tt.found, found)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestAppendValueUnescapesJSONStrings(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`"plain"`, `plain`},
		{`"a\"b\\c\/d"`, `a"b\c/d`},
		{`"\b\f\n\r\t"`, "\b\f\n\r\t"},
		{`"\u00e9\u20AC"`, "é€"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\ud83d"`, "\uFFFD"},
		{`"\ude00x"`, "\uFFFDx"},
		{`"\ud83d\u0041"`, "\uFFFDA"},
		{`[1, "a b", {"c" : 2}]`, `[1,"a b",{"c":2}]`},
		{`"a\\"`, `a\`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			require.Equal(t, tt.want, string(appendValue(nil, tt.raw)))
		})
	}
}
