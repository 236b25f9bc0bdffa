package mapping

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenTemplates renders every testdata/golden/*.vtl against testdata/golden/body.json and the
// test vars, and compares with the .golden file of the same name.
func TestGoldenTemplates(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "golden", "body.json"))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.vtl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".vtl")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			tpl, err := Parse(string(src))
			require.NoError(t, err)
			v := newTestVars(string(body))
			got, err := tpl.Render(nil, v)
			require.NoError(t, err)
			golden := strings.TrimSuffix(file, ".vtl") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		})
	}
}
