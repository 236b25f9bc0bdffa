package callbacks

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/actors/connid"
)

func TestParsePath(t *testing.T) {
	cases := []struct {
		in, stage, id string
		ok            bool
	}{
		{"/prod/@connections/abc", "prod", "abc", true},
		{"/prod/%40connections/abc%3D", "prod", "abc=", true},
		{"/prod/%40Connections/x", "prod", "x", true},
		{"/prod/@connections/..%2F..%2Fetc", "prod", "../../etc", true},
		{"/prod/@connections/", "", "", false},
		{"/prod/@connections/a/b", "", "", false},
		{"/prod/connections/a", "", "", false},
		{"/@connections/a", "", "", false},
		{"//@connections/a", "", "", false},
		{"/prod/@connections/%zz", "", "", false},
		{"/prod", "", "", false},
	}
	for _, tc := range cases {
		stage, id, ok := ParsePath(tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
		if ok {
			require.Equal(t, tc.stage, stage, tc.in)
			require.Equal(t, tc.id, id, tc.in)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"/prod/@connections/abc", "/p/%40connections/%3D%3D", "/a/b/c/d", "%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stage, id, ok := ParsePath(s)
		if ok && (stage == "" || id == "") {
			t.Fatalf("ParsePath(%q) = %q, %q, true", s, stage, id)
		}
	})
}

func TestSubjectNamesOwningNode(t *testing.T) {
	id := "AbCdEfGh0123456789_-xyzw"
	subj, ok := Subject(OpPost, id)
	require.True(t, ok)
	require.Equal(t, "portico.node.AbCdEfGh.post."+id, subj)
	op, got, ok := connid.ParseSubject(subj)
	require.True(t, ok)
	require.Equal(t, OpPost, op)
	require.Equal(t, id, got)
	_, ok = Subject(OpPost, "bad.id")
	require.False(t, ok)
}
