package routeselect_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

func TestPatternMatchesWholeStrings(t *testing.T) {
	tests := []struct {
		pattern string
		input   string
		want    bool
	}{
		{`/2\d\d/`, "200", true},
		{`/2\d\d/`, "204", true},
		{`/2\d\d/`, "2000", false},
		{`/2\d\d/`, "x200", false},
		{`/2\d\d/`, "300", false},
		{`/Error/`, "Error", true},
		{`/Error/`, "Error: x", false},
		{`/.*Error.*/`, "Internal Error: x", true},
		{`/4\d\d|5\d\d/`, "503", true},
		{`/4\d\d|5\d\d/`, "5030", false},
		{`/.*/`, "line\nbreak", false},
		{`//`, "", true},
		{`//`, "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.input, func(t *testing.T) {
			p, err := routeselect.ParsePattern(tt.pattern)
			require.NoError(t, err)
			require.Equal(t, tt.pattern, p.String())
			require.Equal(t, tt.want, p.Match(tt.input))
		})
	}
}

func TestParsePatternRejectsBadPatterns(t *testing.T) {
	for _, s := range []string{``, `/`, `2\d\d`, `/2\d\d`, `/a)|(b/`, `/(/`, `/a{2,1}/`} {
		t.Run(s, func(t *testing.T) {
			_, err := routeselect.ParsePattern(s)
			require.Error(t, err)
			require.Contains(t, err.Error(), "pattern")
		})
	}
}

func TestIsPatternRecognisesSlashForm(t *testing.T) {
	require.True(t, routeselect.IsPattern(`/2\d\d/`))
	require.True(t, routeselect.IsPattern(`//`))
	require.False(t, routeselect.IsPattern(`/`))
	require.False(t, routeselect.IsPattern(`$default`))
	require.False(t, routeselect.IsPattern(`2\d\d`))
}

func TestCompilePatternTakesBareSelectionPatterns(t *testing.T) {
	p, err := routeselect.CompilePattern(`Error`)
	require.NoError(t, err)
	require.True(t, p.Match("Error"))
	require.False(t, p.Match("Error: x"))
	require.Equal(t, "Error", p.String())

	_, err = routeselect.CompilePattern(`a)|(b`)
	require.Error(t, err)
}
