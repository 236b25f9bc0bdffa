package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks that no input makes Parse panic, and that it returns either a valid config or
// positioned *Errors.
func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob("testdata/*.*")
	require.NoError(f, err)
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("node: { drainTimeout: &d 5s }\nwebsocket: { idleTimeout: *d }\n"))
	f.Add([]byte("apis:\n  - &a { name: x }\n  - *a\n"))
	f.Add([]byte("websocket: { maxFrameBytes: 99999999999999999999 }\n"))
	f.Add([]byte("a: 1\n---\nb: 2\n"))
	f.Add([]byte("{\"apis\": [{\"name\": \"x\", \"routes\": 5}]}"))
	f.Add([]byte("apis:\n  - { name: h, protocolType: HTTP, routes: [{ routeKey: GET /a/{b}, integration: { integrationType: MOCK } }] }\n"))
	f.Add([]byte("apis:\n  - { name: r, protocolType: REST, resources: [{ path: /a/{b+}, methods: [{ httpMethod: ANY, integration: { type: MOCK } }] }], stages: [{ stageName: p }] }\n"))
	f.Add([]byte("apis:\n  - { name: r, protocolType: REST, resources: [{ path: /{a}, methods: [] }, { path: /{b}/c }], gatewayResponses: [{}], stages: [{ stageName: $default }] }\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		if err == nil {
			require.NotNil(t, c)
			require.NoError(t, c.Validate(), "a parsed config validates")
			return
		}
		var es *Errors
		require.True(t, errors.As(err, &es), "error is *Errors: %v", err)
		require.NotEmpty(t, *es)
		for _, e := range *es {
			require.NotEmpty(t, e.Pos, "every problem is positioned: %v", e)
			require.NotEmpty(t, e.Msg, "every problem says what is wrong: %v", e)
		}
	})
}
