package mapping

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenTemplates renders every testdata/golden/NAME.vtl with the request in NAME.vars.json and
// compares the output with NAME.golden, and the overrides it sets with NAME.overrides. Where API
// Gateway's documentation shows the output of the template, NAME.documented holds it, and the output
// must be the same JSON (the documentation reformats whitespace).
func TestGoldenTemplates(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.vtl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(file, ".vtl")
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			varsJSON, err := os.ReadFile(name + ".vars.json")
			require.NoError(t, err)
			tpl, err := Parse(string(src))
			require.NoError(t, err)
			v := varsFromJSON(t, string(varsJSON))
			got, err := tpl.Render(nil, v)
			require.NoError(t, err)
			overrides := v.overridesText()
			if *update {
				require.NoError(t, os.WriteFile(name+".golden", got, 0o644))
				if overrides != "" {
					require.NoError(t, os.WriteFile(name+".overrides", []byte(overrides), 0o644))
				}
			}
			want, err := os.ReadFile(name + ".golden")
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
			wantOverrides, err := os.ReadFile(name + ".overrides")
			if err != nil {
				require.True(t, os.IsNotExist(err))
			}
			require.Equal(t, string(wantOverrides), overrides)
			if documented, err := os.ReadFile(name + ".documented"); err == nil {
				var a, b any
				require.NoError(t, json.Unmarshal(documented, &a), "documented output is JSON")
				require.NoError(t, json.Unmarshal(got, &b), "output is JSON: %s", got)
				require.Equal(t, a, b, "output is the JSON AWS documents")
			}
		})
	}
}

// varsFromJSON builds the request of a golden file: {"body": <JSON value, or a string for a raw body>,
// "context": {name: value}, "stageVariables": {...}, "params": {"path": {...}, "querystring": {...},
// "header": {...}}}; maps keep their order.
func varsFromJSON(t testing.TB, doc string) *orderedVars {
	require.True(t, gjson.Valid(doc), "vars file is JSON")
	v := &orderedVars{}
	body := gjson.Get(doc, "body")
	switch {
	case !body.Exists():
	case body.Type == gjson.String:
		v.body = []byte(body.Str)
	default:
		v.body = []byte(body.Raw)
	}
	pairs := func(path string) [][2]string {
		var out [][2]string
		gjson.Get(doc, path).ForEach(func(k, val gjson.Result) bool {
			out = append(out, [2]string{k.Str, val.String()})
			return true
		})
		return out
	}
	v.context = pairs("context")
	v.stage = pairs("stageVariables")
	v.params = map[string][][2]string{"path": pairs("params.path"), "querystring": pairs("params.querystring"), "header": pairs("params.header")}
	return v
}

// orderedVars is a Vars with every optional interface, its maps in a fixed order.
type orderedVars struct {
	body      []byte
	context   [][2]string
	stage     [][2]string
	params    map[string][][2]string
	overrides [][]string
}

func lookup(pairs [][2]string, name string) (string, bool) {
	for _, p := range pairs {
		if p[0] == name {
			return p[1], true
		}
	}
	return "", false
}

func (v *orderedVars) Body() []byte                             { return v.body }
func (v *orderedVars) Context(name string) (string, bool)       { return lookup(v.context, name) }
func (v *orderedVars) StageVariable(name string) (string, bool) { return lookup(v.stage, name) }

func (v *orderedVars) Param(name string) (string, bool) {
	for _, loc := range []string{"path", "querystring", "header"} {
		if s, ok := lookup(v.params[loc], name); ok {
			return s, true
		}
	}
	return "", false
}

func (v *orderedVars) ParamAt(location string, i int) (string, string, bool) {
	ps := v.params[location]
	if i >= len(ps) {
		return "", "", false
	}
	return ps[i][0], ps[i][1], true
}

func (v *orderedVars) StageVariableAt(i int) (string, string, bool) {
	if i >= len(v.stage) {
		return "", "", false
	}
	return v.stage[i][0], v.stage[i][1], true
}

func (v *orderedVars) SetOverride(name string, values []string) error {
	v.overrides = append(v.overrides, append([]string{name}, values...))
	return nil
}

func (v *orderedVars) overridesText() string {
	var b strings.Builder
	for _, o := range v.overrides {
		b.WriteString(o[0])
		b.WriteString(" =")
		for _, val := range o[1:] {
			b.WriteString(" " + strconv.Quote(val))
		}
		b.WriteString("\n")
	}
	return b.String()
}

var (
	_ ParamLister         = (*orderedVars)(nil)
	_ StageVariableLister = (*orderedVars)(nil)
	_ Overrides           = (*orderedVars)(nil)
)
