package connid

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConnectionIDNamesItsNodeAndIsRandom(t *testing.T) {
	a, b := TagOf("node-a"), TagOf("node-b")
	require.NotEqual(t, a, b)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewConnectionID(a)
		require.Len(t, id, 24)
		require.Equal(t, a.String(), id[:TagTextLen], "the id's first characters name its node")
		require.NotContains(t, id, "/", "ids go into URL paths")
		require.NotContains(t, id, "+")
		require.False(t, seen[id], "duplicate id")
		seen[id] = true
		tag, ok := ParseConnectionID(id)
		require.True(t, ok)
		require.Equal(t, a, tag)
	}
}

func TestMalformedConnectionIDsAreRejected(t *testing.T) {
	for _, id := range []string{"", "short", "R1kmxc2VNjMCFIA=", strings.Repeat("A", 23) + "=", strings.Repeat("!", 24), NewConnectionID(TagOf("x")) + "A"} {
		_, ok := ParseConnectionID(id)
		require.False(t, ok, id)
	}
}
