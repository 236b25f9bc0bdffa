package config

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDeriveAPIIDIsStable(t *testing.T) {
	// Clients' URLs embed the id, so these values must never change.
	require.Equal(t, "g3uzues769", DeriveAPIID("chat"))
	require.Equal(t, "en6kzg8qm8", DeriveAPIID("other"))
}

func TestDeriveAPIIDHasAPIGatewayShape(t *testing.T) {
	shape := regexp.MustCompile(`^[a-z0-9]{10}$`)
	seen := map[string]string{}
	for i := 0; i < 10000; i++ {
		name := fmt.Sprintf("api-%d", i)
		id := DeriveAPIID(name)
		require.Regexp(t, shape, id)
		require.True(t, validAPIID(id))
		prev, dup := seen[id]
		require.False(t, dup, "%s and %s share %s", prev, name, id)
		seen[id] = name
	}
}

func TestAPIIDIsExplicitOrDerived(t *testing.T) {
	require.Equal(t, "abcdef1234", (&API{Name: "chat", APIID: "abcdef1234"}).ID())
	require.Equal(t, DeriveAPIID("chat"), (&API{Name: "chat"}).ID())
}
