package connid

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSubjectNamesOwningNode(t *testing.T) {
	id := "AbCdEfGh0123456789_-xyzw"
	subj, ok := Subject(OpPost, id)
	require.True(t, ok)
	require.Equal(t, "portico.node.AbCdEfGh.post."+id, subj)
	op, got, ok := ParseSubject(subj)
	require.True(t, ok)
	require.Equal(t, OpPost, op)
	require.Equal(t, id, got)
	_, ok = Subject(OpPost, "bad.id")
	require.False(t, ok)
}

func TestNodeSubjectCoversTheNodesConnections(t *testing.T) {
	tag := TagOf("node-a")
	require.Equal(t, "portico.node."+tag.String()+".>", NodeSubject(tag))
	subj, ok := Subject(OpGet, NewConnectionID(tag))
	require.True(t, ok)
	require.True(t, strings.HasPrefix(subj, strings.TrimSuffix(NodeSubject(tag), ">")), subj)
}

func TestMalformedSubjectsAreRejected(t *testing.T) {
	for _, s := range []string{"", "portico.node.x", "portico.node.a.b", "portico.node.a.b.c.d", "other.a.post.b"} {
		_, _, ok := ParseSubject(s)
		require.False(t, ok, s)
	}
}
