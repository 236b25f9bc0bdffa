package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResourcePathSegments(t *testing.T) {
	tests := []struct {
		path string
		want []pathSegment
	}{
		{"/", nil},
		{"/pets", []pathSegment{{text: "pets"}}},
		{"/pets/{petId}", []pathSegment{{text: "pets"}, {text: "{petId}", param: "petId"}}},
		{"/{proxy+}", []pathSegment{{text: "{proxy+}", param: "proxy", greedy: true}}},
		{"/v1.2/a_b-c/{x.y}/{rest+}", []pathSegment{{text: "v1.2"}, {text: "a_b-c"}, {text: "{x.y}", param: "x.y"}, {text: "{rest+}", param: "rest", greedy: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := parseResourcePath(tt.path)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// FuzzResourcePath checks that parseResourcePath never panics and that what it accepts has the
// shape it promises: the segments rebuild the path, parameters are unique and a greedy one is last.
func FuzzResourcePath(f *testing.F) {
	for _, s := range []string{"/", "/pets", "/pets/{petId}", "/{proxy+}", "/a/{b}/{c+}", "/{a+}/b", "//", "/a/{a}/{a}", "/{", "/{+}", "pets"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		segs, err := parseResourcePath(path)
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		require.Equal(t, path, "/"+joinSegments(segs))
		seen := map[string]bool{}
		for i, s := range segs {
			require.NotEmpty(t, s.text)
			if s.param == "" {
				require.False(t, strings.ContainsAny(s.text, "{}/"), s.text)
				continue
			}
			require.False(t, seen[s.param], "parameter %q twice", s.param)
			seen[s.param] = true
			if s.greedy {
				require.Equal(t, len(segs)-1, i, "greedy parameter last")
			}
		}
	})
}
