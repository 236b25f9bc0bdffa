package engine

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHTTPAPIParameterMappingChangesTheBackendRequestAndTheAnswer(t *testing.T) {
	type seen struct {
		Path, Query, User, Keep, Gone, Req string
	}
	got := make(chan seen, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.Path, r.URL.RawQuery, r.Header.Get("X-User"), r.Header.Get("X-Keep"), r.Header.Get("X-Gone"), r.Header.Get("X-Request-Id")}
		w.Header().Set("X-Backend", "b1")
		if r.URL.Query().Get("fail") != "" {
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"error":{"code":"E42"}}`))
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	env := newAdapterEnv(t, `
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /items/{id}
        integration:
          integrationType: HTTP_PROXY
          integrationUri: "`+srv.URL+`/ignored"
          requestParameters:
            "overwrite:header.X-User": "$context.stage"
            "remove:header.X-Gone": "''"
            "append:header.X-Keep": "added"
            "append:querystring.color": "$stageVariables.color"
            "overwrite:path": "/v2/items/${request.path.id}"
            "overwrite:header.X-Request-Id": "$context.requestId"
          responseParameters:
            "500":
              "overwrite:statuscode": "503"
              "overwrite:header.X-Error-Code": "$response.body.error.code"
              "remove:header.X-Backend": "''"
            "200":
              "append:header.X-Backend": "portico"
    stages: [ { stageName: $default, stageVariables: { color: blue } } ]
`)
	rec := env.serve(t, http.MethodGet, "http://localhost/items/7?q=1", nil,
		http.Header{"X-User": {"spoofed-admin"}, "X-Gone": {"secret"}, "X-Keep": {"mine"}})
	require.Equal(t, 200, rec.Code, rec.Body.String())
	s := receive(t, got)
	require.Equal(t, "$default", s.User, "the client's own X-User is overwritten")
	require.Empty(t, s.Gone)
	require.Equal(t, "mine,added", s.Keep)
	require.Equal(t, "/v2/items/7", s.Path)
	require.Equal(t, "color=blue&q=1", s.Query)
	require.Equal(t, rec.Header().Get("Apigw-Requestid"), s.Req)
	require.Equal(t, "b1,portico", rec.Header().Get("X-Backend"))

	rec = env.serve(t, http.MethodGet, "http://localhost/items/8?fail=1", nil, nil)
	receive(t, got)
	require.Equal(t, 503, rec.Code)
	require.Equal(t, "E42", rec.Header().Get("X-Error-Code"))
	require.Empty(t, rec.Header().Get("X-Backend"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "the body still passes through")
}
