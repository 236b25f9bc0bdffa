package engine

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

func httpAdapterConfig(backendURL, refused string) string {
	return `
apis:
  - name: shop
    protocolType: HTTP
    routes:
      - routeKey: GET /items/{id}
        integration: { integrationType: NATS, integrationUri: shop.item }
      - routeKey: POST /v1/items
        integration: { integrationType: NATS, integrationUri: shop.v1, payloadFormatVersion: "1.0" }
      - routeKey: GET /slow
        integration: { integrationType: NATS, integrationUri: shop.slow, timeoutInMillis: 50 }
      - routeKey: GET /gone
        integration: { integrationType: NATS, integrationUri: shop.nobody }
      - routeKey: GET /broken
        integration: { integrationType: NATS, integrationUri: shop.broken }
      - routeKey: GET /badstatus
        integration: { integrationType: NATS, integrationUri: shop.badstatus }
      - routeKey: ANY /proxy/{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "` + backendURL + `/up/{proxy}" }
      - routeKey: GET /refused
        integration: { integrationType: HTTP_PROXY, integrationUri: "` + refused + `/x" }
      - routeKey: GET /mock
        integration: { integrationType: MOCK, templates: { $default: '{"id":"$context.requestId"}' } }
`
}

func TestHTTPAdapter(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("Connection", "X-Hop")
		w.Header().Set("X-Hop", "dropped")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, r.Method+" "+r.URL.RequestURI()+" body="+string(b)+" xff="+r.Header.Get("X-Forwarded-For")+
			" te="+r.Header.Get("Te"))
	}))
	t.Cleanup(backend.Close)
	env := newAdapterEnv(t, httpAdapterConfig(backend.URL, refusedURL(t)))

	v2 := capture[events.APIGatewayV2HTTPRequest](t, env, "shop.item",
		`{"statusCode":201,"headers":{"X-From":"fn"},"cookies":["a=1"],"body":"made"}`)
	v1 := capture[events.APIGatewayProxyRequest](t, env, "shop.v1", `{"statusCode":200,"body":"v1"}`)
	slow := env.silent(t, "shop.slow")
	env.respond(t, "shop.broken", func([]byte) []byte { return []byte(`{"statusCode":200, not json`) })
	env.respond(t, "shop.badstatus", func([]byte) []byte { return []byte(`{"statusCode":"teapot"}`) })

	t.Run("payload 2.0 event and response", func(t *testing.T) {
		rec := env.serve(t, http.MethodGet, "http://localhost/items/42?q=1&q=2", nil, http.Header{"X-Client": {"c"}})
		require.Equal(t, 201, rec.Code, rec.Body.String())
		require.Equal(t, "made", rec.Body.String())
		require.Equal(t, "fn", rec.Header().Get("X-From"))
		require.Equal(t, []string{"a=1"}, rec.Header().Values("Set-Cookie"))
		id := rec.Header().Get("Apigw-Requestid")
		require.NotEmpty(t, id)
		ev := receive(t, v2)
		require.Equal(t, "2.0", ev.Version)
		require.Equal(t, "GET /items/{id}", ev.RouteKey)
		require.Equal(t, "/items/42", ev.RawPath)
		require.Equal(t, "q=1&q=2", ev.RawQueryString)
		require.Equal(t, map[string]string{"q": "1,2"}, ev.QueryStringParameters)
		require.Equal(t, map[string]string{"id": "42"}, ev.PathParameters)
		require.Equal(t, "c", ev.Headers["x-client"])
		require.Equal(t, "GET", ev.RequestContext.HTTP.Method)
		require.Equal(t, "/items/42", ev.RequestContext.HTTP.Path)
		require.Equal(t, "$default", ev.RequestContext.Stage)
		require.Equal(t, id, ev.RequestContext.RequestID)
		require.Equal(t, "192.0.2.1", ev.RequestContext.HTTP.SourceIP)
	})

	t.Run("payload 1.0 event", func(t *testing.T) {
		rec := env.serve(t, http.MethodPost, "http://localhost/v1/items", strings.NewReader(`{"n":1}`),
			http.Header{"Content-Type": {"application/json"}})
		require.Equal(t, 200, rec.Code, rec.Body.String())
		require.Equal(t, "v1", rec.Body.String())
		ev := receive(t, v1)
		require.Equal(t, "POST", ev.HTTPMethod)
		require.Equal(t, "/v1/items", ev.Path)
		require.Equal(t, "/v1/items", ev.Resource)
		require.Equal(t, `{"n":1}`, ev.Body)
		require.False(t, ev.IsBase64Encoded)
	})

	t.Run("HTTP_PROXY streams to the backend", func(t *testing.T) {
		rec := env.serve(t, http.MethodPut, "http://localhost/proxy/a/b?x=1", strings.NewReader("payload"),
			http.Header{"Te": {"trailers"}})
		require.Equal(t, http.StatusAccepted, rec.Code)
		require.Equal(t, "PUT /up/a/b?x=1 body=payload xff=192.0.2.1 te=", rec.Body.String())
		require.Equal(t, "yes", rec.Header().Get("X-Backend"))
		require.Empty(t, rec.Header().Get("X-Hop"), "headers the backend's Connection names are dropped")
		require.Empty(t, rec.Header().Get("Connection"))
	})

	t.Run("MOCK", func(t *testing.T) {
		rec := env.serve(t, http.MethodGet, "http://localhost/mock", nil, nil)
		require.Equal(t, 200, rec.Code)
		require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		require.Equal(t, `{"id":"`+rec.Header().Get("Apigw-Requestid")+`"}`, rec.Body.String())
	})

	failures := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"timeout", http.MethodGet, "/slow", 504, `{"message":"Gateway Timeout"}`},
		{"no responders", http.MethodGet, "/gone", 503, `{"message":"Service Unavailable"}`},
		{"malformed Lambda reply", http.MethodGet, "/broken", 500, `{"message":"Internal Server Error"}`},
		{"bad statusCode", http.MethodGet, "/badstatus", 500, `{"message":"Internal Server Error"}`},
		{"refused backend", http.MethodGet, "/refused", 503, `{"message":"Service Unavailable"}`},
		{"unknown route", http.MethodGet, "/nothing/here", 404, `{"message":"Not Found"}`},
		{"unknown method", http.MethodDelete, "/items/1", 404, `{"message":"Not Found"}`},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.serve(t, tc.method, "http://localhost"+tc.path, nil, nil)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Equal(t, tc.body, rec.Body.String())
			require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			require.NotEmpty(t, rec.Header().Get("Apigw-Requestid"))
		})
	}
	receive(t, slow) // the timed-out request did reach its backend
}

func TestHTTPAdapterNamedStage(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: staged
    protocolType: HTTP
    routes:
      - routeKey: GET /hello
        integration: { integrationType: NATS, integrationUri: staged.hello }
    stages:
      - stageName: prod
        stageVariables: { color: blue }
`)
	evs := capture[events.APIGatewayV2HTTPRequest](t, env, "staged.hello", `{"ok":true}`)
	rec := env.serve(t, http.MethodGet, "http://localhost/prod/hello", nil, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Equal(t, `{"ok":true}`, rec.Body.String(), "a 2.0 reply without statusCode is the body")
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	ev := receive(t, evs)
	require.Equal(t, "prod", ev.RequestContext.Stage)
	require.Equal(t, "/prod/hello", ev.RawPath)
	require.Equal(t, map[string]string{"color": "blue"}, ev.StageVariables)

	rec = env.serve(t, http.MethodGet, "http://localhost/dev/hello", nil, nil)
	require.Equal(t, 404, rec.Code)
	require.Equal(t, `{"message":"Not Found"}`, rec.Body.String())
}
