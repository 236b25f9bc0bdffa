package engine

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine/config"
)

// pathBackend records the path every request reaches it with.
func pathBackend(t *testing.T) (string, <-chan string) {
	t.Helper()
	paths := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.EscapedPath()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv.URL, paths
}

func TestDotSegmentsCannotEscapeTheIntegrationsPathPrefix(t *testing.T) {
	backend, paths := pathBackend(t)
	env := newAdapterEnv(t, `
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /pub/{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+backend+`/public/{proxy}" }
`)
	for _, tc := range []struct {
		path   string
		status int
		want   string // path at the backend; "" when it must not be reached
	}{
		{"/pub/a/b", 200, "/public/a/b"},
		{"/pub/a/./b", 200, "/public/a/b"},
		{"/pub/a/../b", 200, "/public/b"},
		{"/pub/a/../../secret", 404, ""},
		{"/pub/a/%2e%2e/%2E%2E/secret", 404, ""},
		{"/pub/a/..%2f..%2fsecret", 400, ""},
		{"/pub/a/%2e%2e%5csecret", 400, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://localhost/", nil)
			req.URL.RawPath, req.URL.Path = tc.path, mustUnescape(t, tc.path)
			rec := httptest.NewRecorder()
			env.e.ServeHTTP(rec, req)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.want != "" {
				require.Equal(t, tc.want, receive(t, paths))
			}
			select {
			case p := <-paths:
				t.Fatalf("the backend was reached at %s", p)
			default:
			}
		})
	}
}

func mustUnescape(t *testing.T, p string) string {
	t.Helper()
	u, err := http.NewRequest(http.MethodGet, "http://x"+p, nil)
	require.NoError(t, err)
	return u.URL.Path
}

func TestWebSocketHTTPIntegrationURIGetsStageVariables(t *testing.T) {
	backend, paths := pathBackend(t)
	env := newAdapterEnv(t, `
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+backend+`/${stageVariables.prefix}/messages" }
        routeResponseSelectionExpression: $default
    stages:
      - { stageName: prod, stageVariables: { prefix: v2 } }
`)
	st, ok := env.d.ResolveStage("localhost", "/prod")
	require.True(t, ok)
	c := &Connection{ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: st}
	rep := &collectReplies{ch: make(chan []byte, 4)}
	env.e.MessageLent(c, []byte(`{"hi":1}`), rep)
	require.Equal(t, "ok", string(receive(t, rep.ch)))
	require.Equal(t, "/v2/messages", receive(t, paths))
}

type collectReplies struct{ ch chan []byte }

func (c *collectReplies) Reply(p []byte) { c.ch <- append([]byte(nil), p...) }

const validatedAPI = `
apis:
  - name: pets
    protocolType: REST
    resources:
      - path: /loose
        methods:
          - httpMethod: GET
            requestParameters: { method.request.querystring.verbose: true }
            integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' } }
      - path: /pets
        methods:
          - httpMethod: POST
            requestValidator: { validateRequestBody: true, validateRequestParameters: true }
            requestModels:
              application/json: '{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["name"],"properties":{"name":{"type":"string"}}}'
            integration:
              type: MOCK
              requestTemplates: { application/json: '{"statusCode": 200}' }
              integrationResponses:
                - statusCode: "200"
                  responseTemplates: { application/json: '{"ok":true}' }
    gatewayResponses:
      - responseType: BAD_REQUEST_BODY
        responseTemplates: { application/json: '{"why":"$context.error.validationErrorString"}' }
    stages: [ { stageName: prod } ]
`

func TestRequiredParametersAreCheckedOnlyUnderARequestValidator(t *testing.T) {
	env := newAdapterEnv(t, validatedAPI)
	rec := env.serve(t, http.MethodGet, "http://localhost/prod/loose", nil, nil)
	require.Equal(t, 200, rec.Code, "without a validator API Gateway does not check required parameters: %s", rec.Body)
}

func TestRequestBodyIsValidatedAgainstTheMethodsModel(t *testing.T) {
	env := newAdapterEnv(t, validatedAPI)
	json := http.Header{"Content-Type": {"application/json"}}
	rec := env.serve(t, http.MethodPost, "http://localhost/prod/pets", strings.NewReader(`{"name":"rex"}`), json)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Equal(t, `{"ok":true}`, rec.Body.String())

	for _, body := range []string{`{"age":3}`, `{"name":7}`, `not json`} {
		rec = env.serve(t, http.MethodPost, "http://localhost/prod/pets", strings.NewReader(body), json)
		require.Equal(t, 400, rec.Code, body)
		require.True(t, strings.HasPrefix(rec.Body.String(), `{"why":"[`), rec.Body.String())
		require.Equal(t, "BadRequestException", rec.Header().Get("X-Amzn-Errortype"))
	}
	// A body without Content-Type is validated as application/json.
	rec = env.serve(t, http.MethodPost, "http://localhost/prod/pets", strings.NewReader(`{}`), nil)
	require.Equal(t, 400, rec.Code)
}

func TestRESTResponseOverridesAndInputParamsReachTheAnswer(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: pets
    protocolType: REST
    resources:
      - path: /pets/{id}
        methods:
          - httpMethod: GET
            integration:
              type: MOCK
              requestTemplates: { application/json: '{"statusCode": 200}' }
              integrationResponses:
                - statusCode: "200"
                  responseTemplates:
                    application/json: |
                      #set($context.responseOverride.status = 202)
                      #set($context.responseOverride.header.X-Custom = "yes")
                      {"id":"$input.params().path.get('id')","q":"$input.params().querystring.get('q')","color":"$stageVariables.get('color')"}
    stages: [ { stageName: prod, variables: { color: blue } } ]
`)
	rec := env.serve(t, http.MethodGet, "http://localhost/prod/pets/7?q=x", nil, nil)
	require.Equal(t, 202, rec.Code, rec.Body.String())
	require.Equal(t, "yes", rec.Header().Get("X-Custom"))
	require.JSONEq(t, `{"id":"7","q":"x","color":"blue"}`, rec.Body.String())
}

func TestRESTEventRequestIDIsTheAmznRequestID(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: pets
    protocolType: REST
    resources:
      - path: /pets
        methods: [ { httpMethod: GET, integration: { type: NATS, uri: pets.list } } ]
    stages: [ { stageName: prod } ]
`)
	evs := capture[events.APIGatewayProxyRequest](t, env, "pets.list", `{"statusCode":200,"body":"[]"}`)
	rec := env.serve(t, http.MethodGet, "http://localhost/prod/pets", nil, nil)
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"), "a proxy answer without Content-Type is JSON")
	ev := receive(t, evs)
	require.Equal(t, rec.Header().Get("X-Amzn-Requestid"), ev.RequestContext.RequestID)
	require.Equal(t, rec.Header().Get("X-Amz-Apigw-Id"), ev.RequestContext.ExtendedRequestID)
	require.Len(t, ev.RequestContext.ResourceID, 6)
}

func TestOpenConnectionsAreRoutedByTheNewDeploymentAfterAReload(t *testing.T) {
	const api = `
apis:
  - name: chat
    apiId: chat000001
    protocolType: WEBSOCKET
    routes:
%s
    stages: [ { stageName: prod, stageVariables: { v: "%s" } } ]
`
	route := func(key, reply string) string {
		return "      - routeKey: " + key + "\n        integration: { integrationType: MOCK, templates: { $default: '" + reply + "' } }\n        routeResponseSelectionExpression: $default\n"
	}
	env := newAdapterEnv(t, fmt.Sprintf(api, route("old", "old $stageVariables.v")+route("$default", "default"), "one"))
	st, ok := env.d.ResolveStage("localhost", "/prod")
	require.True(t, ok)
	c := &Connection{ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: st}
	rep := &collectReplies{ch: make(chan []byte, 4)}
	env.e.MessageLent(c, []byte(`{"action":"old"}`), rep)
	require.Equal(t, "old one", string(receive(t, rep.ch)))

	cfg, err := config.Parse("x.yaml", []byte(fmt.Sprintf(api, route("new", "new $stageVariables.v")+route("$default", "default"), "two")))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{})
	require.NoError(t, err)
	env.e.Deploy(d)
	env.e.MessageLent(c, []byte(`{"action":"new"}`), rep)
	require.Equal(t, "new two", string(receive(t, rep.ch)), "the new route serves the open connection")
	env.e.MessageLent(c, []byte(`{"action":"old"}`), rep)
	require.Equal(t, "default", string(receive(t, rep.ch)), "a removed route no longer serves it")
}
