package engine

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

const restAdapterConfig = `
apis:
  - name: pets
    protocolType: REST
    resources:
      - path: /pets/{petId}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.path.petId: true, method.request.querystring.verbose: true }
            requestValidator: { validateRequestParameters: true }
            integration: { type: NATS, uri: pets.get }
      - path: /slow
        methods:
          - httpMethod: GET
            integration: { type: NATS, uri: pets.slow, timeoutInMillis: 50 }
      - path: /gone
        methods:
          - httpMethod: GET
            integration: { type: NATS, uri: pets.nobody }
      - path: /broken
        methods:
          - httpMethod: GET
            integration: { type: NATS, uri: pets.broken }
      - path: /nostatus
        methods:
          - httpMethod: GET
            integration: { type: NATS, uri: pets.nostatus }
      - path: /refused
        methods:
          - httpMethod: GET
            integration: { type: HTTP_PROXY, uri: "%REFUSED%/x" }
      - path: /teapot
        methods:
          - httpMethod: GET
            integration:
              type: MOCK
              requestTemplates: { application/json: '{"statusCode": 418}' }
              integrationResponses:
                - statusCode: "200"
                - statusCode: "418"
                  selectionPattern: "4\\d\\d"
                  responseTemplates: { application/json: '{"tea":"$context.stage"}' }
                  responseParameters: { method.response.header.X-Tea: "'earl grey'" }
    stages:
      - stageName: prod
        variables: { color: blue }
`

func restEnv(t *testing.T, yaml string) *adapterEnv {
	t.Helper()
	return newAdapterEnv(t, strings.ReplaceAll(yaml, "%REFUSED%", refusedURL(t)))
}

func TestRESTAdapter(t *testing.T) {
	env := restEnv(t, restAdapterConfig)
	evs := capture[events.APIGatewayProxyRequest](t, env, "pets.get",
		`{"statusCode":200,"headers":{"Content-Type":"application/json"},"multiValueHeaders":{"X-M":["1","2"]},"body":"{\"id\":7}"}`)
	slow := env.silent(t, "pets.slow")
	env.respond(t, "pets.broken", func([]byte) []byte { return []byte(`{"statusCode": 200, oops`) })
	env.respond(t, "pets.nostatus", func([]byte) []byte { return []byte(`{"body":"no status"}`) })

	t.Run("NATS event and response", func(t *testing.T) {
		rec := env.serve(t, http.MethodGet, "http://localhost/prod/pets/7?verbose=1", nil, http.Header{"X-Client": {"c"}})
		require.Equal(t, 200, rec.Code, rec.Body.String())
		require.Equal(t, `{"id":7}`, rec.Body.String())
		require.Equal(t, []string{"1", "2"}, rec.Header().Values("X-M"))
		require.NotEmpty(t, rec.Header().Get("X-Amzn-Requestid"))
		ev := receive(t, evs)
		require.Equal(t, "/pets/{petId}", ev.Resource)
		require.Equal(t, "/pets/7", ev.Path)
		require.Equal(t, "GET", ev.HTTPMethod)
		require.Equal(t, map[string]string{"petId": "7"}, ev.PathParameters)
		require.Equal(t, map[string]string{"verbose": "1"}, ev.QueryStringParameters)
		require.Equal(t, map[string]string{"color": "blue"}, ev.StageVariables)
		require.Equal(t, "c", ev.Headers["X-Client"])
		require.Equal(t, "prod", ev.RequestContext.Stage)
		require.Equal(t, "/prod/pets/7", ev.RequestContext.Path)
		require.Equal(t, "/pets/{petId}", ev.RequestContext.ResourcePath)
		require.Equal(t, rec.Header().Get("X-Amzn-Requestid"), ev.RequestContext.RequestID, "requestId is the x-amzn-RequestId")
		require.Equal(t, rec.Header().Get("X-Amz-Apigw-Id"), ev.RequestContext.ExtendedRequestID)
	})

	t.Run("MOCK picks the integration response by status", func(t *testing.T) {
		rec := env.serve(t, http.MethodGet, "http://localhost/prod/teapot", nil, nil)
		require.Equal(t, 418, rec.Code)
		require.Equal(t, `{"tea":"prod"}`, rec.Body.String())
		require.Equal(t, "earl grey", rec.Header().Get("X-Tea"))
	})

	type want struct {
		status    int
		body      string
		errorType string
	}
	failures := []struct {
		name, method, path string
		want
	}{
		{"unknown path", http.MethodGet, "/prod/nothing", want{403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"}},
		{"unknown method", http.MethodPost, "/prod/pets/7", want{403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"}},
		{"unknown stage", http.MethodGet, "/dev/pets/7", want{403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"}},
		{"root", http.MethodGet, "/", want{403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"}},
		{"missing required parameter", http.MethodGet, "/prod/pets/7", want{400, `{"message": "Missing required request parameters: [verbose]"}`, "BadRequestException"}},
		{"timeout", http.MethodGet, "/prod/slow", want{504, `{"message": "Endpoint request timed out"}`, ""}},
		{"no responders", http.MethodGet, "/prod/gone", want{504, `{"message": "Internal server error"}`, "InternalServerErrorException"}},
		{"refused backend", http.MethodGet, "/prod/refused", want{504, `{"message": "Internal server error"}`, "InternalServerErrorException"}},
		{"malformed Lambda reply", http.MethodGet, "/prod/broken", want{502, `{"message": "Internal server error"}`, "InternalServerErrorException"}},
		{"Lambda reply without statusCode", http.MethodGet, "/prod/nostatus", want{502, `{"message": "Internal server error"}`, "InternalServerErrorException"}},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.serve(t, tc.method, "http://localhost"+tc.path, nil, nil)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Equal(t, tc.body, rec.Body.String())
			require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			require.Equal(t, tc.errorType, rec.Header().Get("X-Amzn-Errortype"))
			require.NotEmpty(t, rec.Header().Get("X-Amzn-Requestid"))
		})
	}
	receive(t, slow)
}

func TestRESTAdapterGatewayResponses(t *testing.T) {
	env := restEnv(t, `
apis:
  - name: pets
    protocolType: REST
    resources:
      - path: /pets/{petId}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.querystring.verbose: true }
            requestValidator: { validateRequestParameters: true }
            integration: { type: NATS, uri: pets.get }
      - path: /slow
        methods:
          - httpMethod: GET
            integration: { type: NATS, uri: pets.slow, timeoutInMillis: 50 }
    gatewayResponses:
      - responseType: MISSING_AUTHENTICATION_TOKEN
        statusCode: "404"
        responseParameters: { gatewayresponse.header.X-Err: "'missing'" }
        responseTemplates: { application/json: '{"error":$context.error.messageString,"type":"$context.error.responseType","stage":"$context.stage"}' }
      - responseType: INTEGRATION_TIMEOUT
        statusCode: "503"
        responseTemplates: { application/json: '{"slow":true}' }
      - responseType: DEFAULT_5XX
        responseParameters: { gatewayresponse.header.X-Five: "'5'" }
      - responseType: DEFAULT_4XX
        responseParameters: { gatewayresponse.header.X-Four: "'4'" }
    stages:
      - stageName: prod
`)
	env.silent(t, "pets.slow")

	rec := env.serve(t, http.MethodGet, "http://localhost/prod/nothing", nil, nil)
	require.Equal(t, 404, rec.Code)
	require.Equal(t, "missing", rec.Header().Get("X-Err"))
	require.Empty(t, rec.Header().Get("X-Four"), "the type's own customisation replaces DEFAULT_4XX")
	require.Equal(t, `{"error":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN","stage":"prod"}`, rec.Body.String())

	rec = env.serve(t, http.MethodGet, "http://localhost/prod/slow", nil, nil)
	require.Equal(t, 503, rec.Code)
	require.Equal(t, `{"slow":true}`, rec.Body.String())
	require.Empty(t, rec.Header().Get("X-Five"))

	// No responders: INTEGRATION_FAILURE has no entry, so DEFAULT_5XX applies, keeping the default body.
	rec = env.serve(t, http.MethodGet, "http://localhost/prod/pets/1?verbose=1", nil, nil)
	require.Equal(t, 504, rec.Code)
	require.Equal(t, "5", rec.Header().Get("X-Five"))
	require.Equal(t, `{"message": "Internal server error"}`, rec.Body.String())

	// A missing parameter: BAD_REQUEST_PARAMETERS has no entry, so DEFAULT_4XX applies.
	rec = env.serve(t, http.MethodGet, "http://localhost/prod/pets/1", nil, nil)
	require.Equal(t, 400, rec.Code)
	require.Equal(t, "4", rec.Header().Get("X-Four"))
	require.Equal(t, `{"message": "Missing required request parameters: [verbose]"}`, rec.Body.String())
}
