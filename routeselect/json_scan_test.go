package routeselect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// jsonScanSeeds are bodies whose validity and members jsonScan must judge as gjson does.
var jsonScanSeeds = []string{
	`{"action":"join","data":"x"}`,
	` { "data" : "` + strings.Repeat("abcdefgh", 40) + `" , "action" : 7 } `,
	`{"action":"a\"b","action":"second"}`,
	`{"\u0061ction":"escaped key"}`,
	`{"a\\b":1,"action":[1,"two",{"x":null}]}`,
	`{"action":{"nested":"obj"}}`,
	`{"x":{"action":"deep"}}`,
	`[{"action":"in array"}]`,
	`{"action":"tab	inside"}`,
	`{"action":"unterminated}`,
	`{"action":-0.5e+10}`,
	`{"action":01}`,
	`{"action":tru}`,
	`{"action":null}`,
	`{"action":true,}`,
	`{"action":"\uZZZZ"}`,
	`{"action":"é ünïcode ✓ long enough to use words"}`,
	`"just a string"`,
	`12`,
	``,
	`   `,
	`{}`,
	`[]`,
	`{"a":[1,2,]}`,
}

func TestJSONScanAgreesWithGJSON(t *testing.T) {
	for _, body := range jsonScanSeeds {
		t.Run(body, func(t *testing.T) { requireSameAsGJSON(t, body, "action") })
	}
}

func TestSimpleKeyAcceptsOnlyPlainKeys(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"action", true},
		{"Route_key9", true},
		{"", false},
		{"a.b", false},
		{"a*", false},
		{"@this", false},
		{"a-b", false},
		{"#", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, simpleKey(tt.path), tt.path)
	}
}

func FuzzJSONScan(f *testing.F) {
	for _, s := range jsonScanSeeds {
		f.Add(s, "action")
	}
	f.Fuzz(func(t *testing.T, body, key string) {
		requireSameAsGJSON(t, body, "action")
		if simpleKey(key) {
			requireSameAsGJSON(t, body, key)
		}
	})
}

// requireSameAsGJSON checks validJSON and lookupTop against gjson.Valid and gjson.Get.
func requireSameAsGJSON(t *testing.T, body, key string) {
	t.Helper()
	valid := gjson.Valid(body)
	require.Equal(t, valid, validJSON(body), "validity of %q", body)
	res, ok := lookupTop(body, key)
	require.Equal(t, valid, ok, "validity of %q", body)
	if !valid {
		return
	}
	want := gjson.Get(body, key)
	require.Equal(t, want.Type, res.Type, "type of %q in %q", key, body)
	require.Equal(t, want.Raw, res.Raw, "raw of %q in %q", key, body)
	require.Equal(t, want.Str, res.Str, "str of %q in %q", key, body)
	require.Equal(t, want.Num, res.Num, "num of %q in %q", key, body)
	require.Equal(t, want.IsArray(), res.IsArray())
}
