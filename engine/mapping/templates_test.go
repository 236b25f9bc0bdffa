package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSelectPrefersExactKeyThenDefault(t *testing.T) {
	ts, err := ParseTemplates(map[string]string{
		"$default":         `default`,
		"application/json": `json`,
	})
	require.NoError(t, err)
	require.Equal(t, 2, ts.Len())

	tests := []struct {
		key  string
		want string
	}{
		{"application/json", "json"},
		{"text/plain", "default"},
		{"", "default"},
		{"$default", "default"},
		{"Application/JSON", "default"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			tpl, ok := ts.Select(tt.key)
			require.True(t, ok)
			require.Equal(t, tt.want, tpl.Source())
		})
	}
}

func TestSelectWithoutDefaultMissesUnknownKeys(t *testing.T) {
	ts, err := ParseTemplates(map[string]string{"application/json": `$input.body`})
	require.NoError(t, err)
	tpl, ok := ts.Select("application/json")
	require.True(t, ok)
	require.True(t, tpl.IsPassthrough())
	_, ok = ts.Select("text/plain")
	require.False(t, ok)
}

func TestEmptyTemplatesSelectNothing(t *testing.T) {
	for name, ts := range map[string]*Templates{"nil": nil, "zero": {}, "empty map": mustParseTemplates(t, nil)} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, 0, ts.Len())
			_, ok := ts.Select("$default")
			require.False(t, ok)
		})
	}
}

func TestParseTemplatesErrorNamesTheKey(t *testing.T) {
	_, err := ParseTemplates(map[string]string{
		"$default":         `ok`,
		"application/json": "{\n #foreach($x in $y)",
		"text/plain":       `#if`,
	})
	require.EqualError(t, err, `template "application/json": mapping template line 2 col 2: #foreach is not closed by #end`)
	var me *Error
	require.ErrorAs(t, err, &me)
	require.Equal(t, 2, me.Line)
}

func mustParseTemplates(t *testing.T, m map[string]string) *Templates {
	t.Helper()
	ts, err := ParseTemplates(m)
	require.NoError(t, err)
	return ts
}
