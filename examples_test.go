package portico_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

// exampleConfig loads an example's config with its listeners moved to free ports.
func exampleConfig(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestHTTPAPIExample(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, exampleConfig(t, "examples/httpapi/portico.yaml")))
	resp, body := do(t, "GET", base(n)+"/v1/hello/ada", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	require.Equal(t, "ada", got["hello"])
	require.Equal(t, "v1", got["stage"])
	require.Equal(t, resp.Header.Get("Apigw-Requestid"), got["requestId"])
}

func TestRESTAPIExample(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, exampleConfig(t, "examples/restapi/portico.yaml")))
	resp, body := do(t, "GET", base(n)+"/prod/pets", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "2", resp.Header.Get("X-Count"))
	require.JSONEq(t, `[{"id": 1, "type": "dog"}, {"id": 2, "type": "cat"}]`, body)
	resp, body = do(t, "GET", base(n)+"/prod/pets/7?verbose=1", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Contains(t, body, `"id": "7", "color": "blue"`)
	resp, body = do(t, "GET", base(n)+"/prod/pets/7", nil, nil)
	require.Equal(t, 400, resp.StatusCode)
	require.Equal(t, `{"message": "Missing required request parameters: [verbose]"}`, body)
	resp, body = do(t, "GET", base(n)+"/prod/nothing", nil, nil)
	require.Equal(t, 404, resp.StatusCode)
	require.Equal(t, `{"message":"Missing Authentication Token","hint":"try /prod/pets"}`, body)
}
