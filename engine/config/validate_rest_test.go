package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRESTAPIParsesWithDefaults(t *testing.T) {
	c, err := Load("testdata/petstore.yaml")
	require.NoError(t, err)
	require.Len(t, c.APIs, 1)
	a := c.APIs[0]
	require.Equal(t, ProtocolREST, a.ProtocolType)
	require.Equal(t, APIKeySourceHeader, a.APIKeySource)
	require.Equal(t, []string{"image/png", "*/*"}, a.BinaryMediaTypes)
	require.Empty(t, a.RouteSelectionExpression, "REST APIs select by resource and method")
	require.Len(t, a.Resources, 3)

	pets := a.Resources[0]
	require.Equal(t, "/pets", pets.Path)
	require.Equal(t, Method{
		HTTPMethod:        "GET",
		RequestParameters: map[string]bool{"method.request.querystring.page": false, "method.request.header.x-id": true},
		RequestValidator:  &RequestValidator{ValidateRequestParameters: true},
		RequestModels:     map[string]string{"application/json": `{"type":"object"}`},
		MethodResponses: []MethodResponse{
			{StatusCode: "200", ResponseParameters: map[string]bool{"method.response.header.X-Rate": true}},
			{StatusCode: "500"},
		},
		Integration: MethodIntegration{
			Type:                IntegrationMock,
			TimeoutInMillis:     29000,
			PassthroughBehavior: PassthroughWhenNoTemplates,
			RequestTemplates:    map[string]string{"application/json": `{"statusCode": 200}`},
			RequestParameters:   map[string]string{"integration.request.header.X-From": "method.request.querystring.page"},
			IntegrationResponses: []IntegrationResponse{
				{
					StatusCode:         "200",
					ResponseTemplates:  map[string]string{"application/json": `[{"id": 1}, {"id": 2}]`},
					ResponseParameters: map[string]string{"method.response.header.X-Rate": "'10'"},
				},
				{StatusCode: "500", SelectionPattern: `5\d\d`},
			},
		},
	}, pets.Methods[0])

	pet := a.Resources[1]
	require.Equal(t, MethodIntegration{
		Type:                IntegrationNATS,
		URI:                 "petstore.getpet",
		TimeoutInMillis:     29000,
		PassthroughBehavior: PassthroughWhenNoMatch,
	}, pet.Methods[0].Integration, "NATS has no backend method")
	require.False(t, pet.Methods[1].APIKeyRequired)
	require.Equal(t, MethodIntegration{
		Type:                IntegrationHTTP,
		URI:                 "https://${stageVariables.host}/pets/{petId}",
		HTTPMethod:          "POST",
		TimeoutInMillis:     29000,
		PassthroughBehavior: PassthroughNever,
		RequestParameters:   map[string]string{"integration.request.path.petId": "method.request.path.petId"},
	}, pet.Methods[1].Integration)

	proxy := a.Resources[2].Methods[0].Integration
	require.Equal(t, "ANY", proxy.HTTPMethod, "the backend method defaults to the method's, ANY being the request's")

	require.Equal(t, []GatewayResponse{
		{
			ResponseType:       GatewayResponseMissingAuthenticationToken,
			StatusCode:         "404",
			ResponseParameters: map[string]string{"gatewayresponse.header.X-Err": "'1'"},
			ResponseTemplates:  map[string]string{"application/json": `{"message":$context.error.messageString}`},
		},
		{ResponseType: GatewayResponseDefault5XX},
	}, a.GatewayResponses)
	require.Equal(t, []Stage{{StageName: "prod", Description: "Production.", Variables: map[string]string{"color": "blue", "host": "pets.example.com"}}}, a.Stages)
}

func TestDesignRESTExampleParses(t *testing.T) {
	src := `apis:
  - name: petstore
    protocolType: REST
    resources:
      - path: /pets
        methods:
          - httpMethod: GET
            integration:
              type: MOCK
              requestTemplates: { application/json: '{"statusCode": 200}' }
              integrationResponses:
                - statusCode: "200"
                  responseTemplates: { application/json: '[{"id": 1}, {"id": 2}]' }
      - path: /pets/{petId}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.path.petId: true }
            integration: { type: NATS, uri: petstore.getpet }     # Lambda proxy, payload 1.0
    stages:
      - stageName: prod
        variables: { color: blue }
`
	c, err := Parse("petstore.yaml", []byte(src))
	require.NoError(t, err)
	a := c.APIs[0]
	require.Equal(t, DeriveAPIID("petstore"), a.APIID)
	require.Equal(t, map[string]bool{"method.request.path.petId": true}, a.Resources[1].Methods[0].RequestParameters)
	require.Equal(t, map[string]string{"color": "blue"}, a.Stages[0].Variables)
}

func TestIntegrationResponseStatusMayBeWrittenAsANumber(t *testing.T) {
	c, err := Parse("n.yaml", []byte(restMethod("/pets", "GET",
		"            methodResponses: [{ statusCode: 200 }]\n            integration:\n              type: MOCK\n              integrationResponses: [{ statusCode: 200 }]\n")))
	require.NoError(t, err)
	require.Equal(t, "200", c.APIs[0].Resources[0].Methods[0].Integration.IntegrationResponses[0].StatusCode)
}

// restAPI wraps resources, stages and other API fields (lines indented for an item of apis) into
// a config with one REST API.
func restAPI(body string) string {
	return "apis:\n  - name: pets\n    protocolType: REST\n" + body
}

const restStage = "    stages:\n      - stageName: prod\n"

// restMethod is a REST API with one resource and one method whose other fields are lines
// (indented by 12, starting on line 8), and one stage.
func restMethod(path, httpMethod, lines string) string {
	return restAPI("    resources:\n      - path: " + path + "\n        methods:\n          - httpMethod: " + httpMethod + "\n" + lines + restStage)
}

// mockMethod is a MOCK method whose other fields are lines, starting on line 8.
func mockMethod(lines string) string {
	return restMethod("/pets/{petId}", "GET", lines+"            integration: { type: MOCK }\n")
}

// restIntegration is a method with the integration fields lines (indented by 14, starting on
// line 9).
func restIntegration(lines string) string {
	return restMethod("/pets/{petId}", "GET", "            integration:\n"+lines)
}

// resources is a REST API with a GET MOCK method on each path (resource i on line 5+3i).
func resources(paths ...string) string {
	var b strings.Builder
	b.WriteString("    resources:\n")
	for _, p := range paths {
		b.WriteString("      - path: " + p + "\n        methods:\n          - { httpMethod: GET, integration: { type: MOCK } }\n")
	}
	return restAPI(b.String() + restStage)
}

func TestRESTAPIValidationNamesFieldAndPosition(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the first error line
	}{
		{"resources required", restAPI(restStage),
			"r.yaml:2:5: apis[0].resources: at least one resource is required"},
		{"resource path required", restAPI("    resources:\n      - methods: [{ httpMethod: GET, integration: { type: MOCK } }]\n" + restStage),
			"r.yaml:5:9: apis[0].resources[0].path: required"},
		{"resource path absolute", resources("pets"),
			`r.yaml:5:9: apis[0].resources[0].path: must start with "/"`},
		{"resource path without empty segments", resources("/pets//toys"),
			`r.yaml:5:9: apis[0].resources[0].path: must not have empty segments ("//" or a trailing "/")`},
		{"resource path without a trailing slash", resources("/pets/"),
			`r.yaml:5:9: apis[0].resources[0].path: must not have empty segments ("//" or a trailing "/")`},
		{"resource path characters", resources("/pets$"),
			`r.yaml:5:9: apis[0].resources[0].path: segment "pets$": a literal segment is letters, digits, '.', '_' and '-'`},
		{"path parameter closed", resources("/pets/{petId"),
			`r.yaml:5:9: apis[0].resources[0].path: segment "{petId": a path parameter is {name} or {name+}, the name letters, digits, '.', '_' and '-'`},
		{"path parameter named", resources("/pets/{}"),
			`r.yaml:5:9: apis[0].resources[0].path: segment "{}": a path parameter is {name} or {name+}, the name letters, digits, '.', '_' and '-'`},
		{"path parameter a whole segment", resources("/pets/pet{id}"),
			`r.yaml:5:9: apis[0].resources[0].path: segment "pet{id}": a literal segment is letters, digits, '.', '_' and '-'`},
		{"greedy path parameter last", resources("/{proxy+}/x"),
			`r.yaml:5:9: apis[0].resources[0].path: segment "{proxy+}": a greedy path parameter must be the last segment`},
		{"path parameters unique", resources("/a/{id}/b/{id}"),
			`r.yaml:5:9: apis[0].resources[0].path: path parameter "id" is used twice`},
		{"resource paths unique", resources("/pets", "/pets"),
			`r.yaml:8:9: apis[0].resources[1].path: "/pets" is already used by apis[0].resources[0]`},
		{"one variable child per path", resources("/pets/{id}", "/pets/{petId}/toys"),
			`r.yaml:8:9: apis[0].resources[1].path: {petId} under "/pets" conflicts with {id} of apis[0].resources[0]: a path has at most one variable child`},
		{"greedy and plain variables are siblings", resources("/{proxy+}", "/{id}"),
			`r.yaml:8:9: apis[0].resources[1].path: {id} under "/" conflicts with {proxy+} of apis[0].resources[0]: a path has at most one variable child`},
		{"methods required", restAPI("    resources:\n      - path: /pets\n" + restStage),
			"r.yaml:5:9: apis[0].resources[0].methods: at least one method is required"},
		{"http method required", restAPI("    resources:\n      - path: /pets\n        methods:\n          - integration: { type: MOCK }\n" + restStage),
			"r.yaml:7:13: apis[0].resources[0].methods[0].httpMethod: required"},
		{"http method known", restMethod("/pets", "FETCH", "            integration: { type: MOCK }\n"),
			"r.yaml:7:13: apis[0].resources[0].methods[0].httpMethod: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"},
		{"http methods unique", restMethod("/pets", "GET", "            integration: { type: MOCK }\n          - httpMethod: GET\n            integration: { type: MOCK }\n"),
			`r.yaml:9:13: apis[0].resources[0].methods[1].httpMethod: "GET" is already used by apis[0].resources[0].methods[0]`},
		{"request parameter location known", mockMethod("            requestParameters: { method.request.body.name: true }\n"),
			`r.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["method.request.body.name"]: must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME`},
		{"request parameter prefix", mockMethod("            requestParameters: { querystring.page: true }\n"),
			`r.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["querystring.page"]: must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME`},
		{"request parameter named", mockMethod("            requestParameters: { method.request.header.: true }\n"),
			`r.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["method.request.header."]: must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME`},
		{"path parameter in the resource path", mockMethod("            requestParameters: { method.request.path.id: true }\n"),
			`r.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["method.request.path.id"]: path parameter "id" is not in the resource path "/pets/{petId}"`},
		{"request model is JSON", mockMethod("            requestModels: { application/json: '{\"type\": ' }\n"),
			`r.yaml:8:30: apis[0].resources[0].methods[0].requestModels["application/json"]: is not valid JSON: unexpected end of JSON input`},
		{"request model is a JSON object", mockMethod("            requestModels: { application/json: '[]' }\n"),
			`r.yaml:8:30: apis[0].resources[0].methods[0].requestModels["application/json"]: must be a JSON Schema, a JSON object`},
		{"method response status required", mockMethod("            methodResponses: [{ responseParameters: {} }]\n"),
			"r.yaml:8:31: apis[0].resources[0].methods[0].methodResponses[0].statusCode: required"},
		{"method response status 3 digits", mockMethod("            methodResponses: [{ statusCode: \"20\" }]\n"),
			"r.yaml:8:33: apis[0].resources[0].methods[0].methodResponses[0].statusCode: must be a 3-digit HTTP status code, 100 to 599"},
		{"method response status at most 599", mockMethod("            methodResponses: [{ statusCode: \"600\" }]\n"),
			"r.yaml:8:33: apis[0].resources[0].methods[0].methodResponses[0].statusCode: must be a 3-digit HTTP status code, 100 to 599"},
		{"method response status digits", mockMethod("            methodResponses: [{ statusCode: 2xx }]\n"),
			"r.yaml:8:33: apis[0].resources[0].methods[0].methodResponses[0].statusCode: must be a 3-digit HTTP status code, 100 to 599"},
		{"method response statuses unique", mockMethod("            methodResponses: [{ statusCode: \"200\" }, { statusCode: \"200\" }]\n"),
			`r.yaml:8:56: apis[0].resources[0].methods[0].methodResponses[1].statusCode: "200" is already used by apis[0].resources[0].methods[0].methodResponses[0]`},
		{"method response parameters are headers", mockMethod("            methodResponses: [{ statusCode: \"200\", responseParameters: { method.response.body: true } }]\n"),
			`r.yaml:8:74: apis[0].resources[0].methods[0].methodResponses[0].responseParameters["method.response.body"]: must be method.response.header.NAME`},
		{"integration type required", restIntegration("              uri: a.b\n"),
			"r.yaml:8:13: apis[0].resources[0].methods[0].integration.type: required"},
		{"integration type known", restIntegration("              type: AWS_PROXY\n"),
			"r.yaml:9:15: apis[0].resources[0].methods[0].integration.type: must be one of MOCK, NATS, HTTP_PROXY, HTTP"},
		{"MOCK takes no uri", restIntegration("              type: MOCK\n              uri: a.b\n"),
			"r.yaml:10:15: apis[0].resources[0].methods[0].integration.uri: must be empty for type MOCK"},
		{"NATS needs a uri", restIntegration("              type: NATS\n"),
			"r.yaml:8:13: apis[0].resources[0].methods[0].integration.uri: required for type NATS"},
		{"NATS uri is a subject", restIntegration("              type: NATS\n              uri: pets.*\n"),
			`r.yaml:10:15: apis[0].resources[0].methods[0].integration.uri: invalid NATS subject "pets.*": wildcards are not allowed`},
		{"HTTP uri is a URL", restIntegration("              type: HTTP\n              uri: /pets\n"),
			"r.yaml:10:15: apis[0].resources[0].methods[0].integration.uri: must be an http or https URL with a host"},
		{"HTTP_PROXY needs a uri", restIntegration("              type: HTTP_PROXY\n"),
			"r.yaml:8:13: apis[0].resources[0].methods[0].integration.uri: required for type HTTP_PROXY"},
		{"backend method known", restIntegration("              type: HTTP\n              uri: http://b/\n              httpMethod: get\n"),
			"r.yaml:11:15: apis[0].resources[0].methods[0].integration.httpMethod: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"},
		{"timeout at most 29000", restIntegration("              type: MOCK\n              timeoutInMillis: 29001\n"),
			"r.yaml:10:15: apis[0].resources[0].methods[0].integration.timeoutInMillis: must be between 50 and 29000"},
		{"passthrough behaviour known", restIntegration("              type: MOCK\n              passthroughBehavior: ALWAYS\n"),
			"r.yaml:10:15: apis[0].resources[0].methods[0].integration.passthroughBehavior: must be one of WHEN_NO_MATCH, NEVER, WHEN_NO_TEMPLATES"},
		{"no request templates on proxies", restIntegration("              type: HTTP_PROXY\n              uri: http://b/\n              requestTemplates: { application/json: x }\n"),
			"r.yaml:11:15: apis[0].resources[0].methods[0].integration.requestTemplates: only for type MOCK or HTTP; a HTTP_PROXY integration passes the request through"},
		{"no integration responses on proxies", restIntegration("              type: NATS\n              uri: a\n              integrationResponses: [{ statusCode: \"200\" }]\n"),
			"r.yaml:11:15: apis[0].resources[0].methods[0].integration.integrationResponses: only for type MOCK or HTTP; a NATS integration passes the response through"},
		{"integration request parameter shape", restIntegration("              type: MOCK\n              requestParameters: { method.request.header.x: \"'a'\" }\n"),
			`r.yaml:10:36: apis[0].resources[0].methods[0].integration.requestParameters["method.request.header.x"]: must be integration.request.path.NAME, integration.request.querystring.NAME or integration.request.header.NAME`},
		{"integration request parameter source", restIntegration("              type: MOCK\n              requestParameters: { integration.request.header.x: header.y }\n"),
			`r.yaml:10:36: apis[0].resources[0].methods[0].integration.requestParameters["integration.request.header.x"]: source must be method.request.{path|querystring|header}.NAME, method.request.body[.JSONPath], context.NAME, stageVariables.NAME or a 'quoted literal'`},
		{"integration request parameter source declared", restIntegration("              type: MOCK\n              requestParameters: { integration.request.querystring.q: method.request.querystring.q }\n"),
			`r.yaml:10:36: apis[0].resources[0].methods[0].integration.requestParameters["integration.request.querystring.q"]: method.request.querystring.q is not declared in the method's requestParameters`},
		{"integration request path parameter in the path", restIntegration("              type: MOCK\n              requestParameters: { integration.request.path.id: method.request.path.id }\n"),
			`r.yaml:10:36: apis[0].resources[0].methods[0].integration.requestParameters["integration.request.path.id"]: method.request.path.id is not declared in the method's requestParameters`},
		{"integration response status required", restIntegration("              type: MOCK\n              integrationResponses: [{ selectionPattern: x }]\n"),
			"r.yaml:10:38: apis[0].resources[0].methods[0].integration.integrationResponses[0].statusCode: required"},
		{"integration response status 3 digits", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"2000\" }]\n"),
			"r.yaml:10:40: apis[0].resources[0].methods[0].integration.integrationResponses[0].statusCode: must be a 3-digit HTTP status code, 100 to 599"},
		{"integration response statuses unique", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"200\" }, { statusCode: \"200\", selectionPattern: x }]\n"),
			`r.yaml:10:63: apis[0].resources[0].methods[0].integration.integrationResponses[1].statusCode: "200" is already used by apis[0].resources[0].methods[0].integration.integrationResponses[0]`},
		{"integration response status is a method response", "apis:\n  - name: pets\n    protocolType: REST\n    resources:\n      - path: /pets\n        methods:\n          - httpMethod: GET\n            methodResponses: [{ statusCode: \"200\" }]\n            integration:\n              type: MOCK\n              integrationResponses: [{ statusCode: \"404\" }]\n" + restStage,
			`r.yaml:11:40: apis[0].resources[0].methods[0].integration.integrationResponses[0].statusCode: "404" is not one of the method's methodResponses`},
		{"selection pattern compiles", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"500\", selectionPattern: \"(5\" }]\n"),
			"r.yaml:10:59: apis[0].resources[0].methods[0].integration.integrationResponses[0].selectionPattern: is not a valid regular expression: missing closing ): `(5`"},
		{"one default integration response", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"200\" }, { statusCode: \"500\" }]\n"),
			"r.yaml:10:61: apis[0].resources[0].methods[0].integration.integrationResponses[1]: a second default response (no selectionPattern); the first is apis[0].resources[0].methods[0].integration.integrationResponses[0]"},
		{"selection patterns unique", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"400\", selectionPattern: 4.. }, { statusCode: \"404\", selectionPattern: 4.. }]\n"),
			`r.yaml:10:105: apis[0].resources[0].methods[0].integration.integrationResponses[1].selectionPattern: "4.." is already used by apis[0].resources[0].methods[0].integration.integrationResponses[0]`},
		{"integration response parameters are headers", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"200\", responseParameters: { method.response.header: \"'a'\" } }]\n"),
			`r.yaml:10:81: apis[0].resources[0].methods[0].integration.integrationResponses[0].responseParameters["method.response.header"]: must be method.response.header.NAME`},
		{"integration response parameters have a source", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"200\", responseParameters: { method.response.header.X: \"\" } }]\n"),
			`r.yaml:10:81: apis[0].resources[0].methods[0].integration.integrationResponses[0].responseParameters["method.response.header.X"]: needs a source: integration.response.header.NAME, integration.response.body[.JSONPath] or a 'quoted literal'`},
		{"integration response headers declared", "apis:\n  - name: pets\n    protocolType: REST\n    resources:\n      - path: /pets\n        methods:\n          - httpMethod: GET\n            methodResponses: [{ statusCode: \"200\", responseParameters: { method.response.header.X-A: true } }]\n            integration:\n              type: MOCK\n              integrationResponses: [{ statusCode: \"200\", responseParameters: { method.response.header.X-B: \"'b'\" } }]\n" + restStage,
			`r.yaml:11:81: apis[0].resources[0].methods[0].integration.integrationResponses[0].responseParameters["method.response.header.X-B"]: method.response.header.X-B is not declared in the responseParameters of the method response "200"`},
		{"gateway response type required", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ statusCode: \"404\" }]\n" + restStage),
			"r.yaml:8:24: apis[0].gatewayResponses[0].responseType: required"},
		{"gateway response type known", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: NOT_FOUND }]\n" + restStage),
			"r.yaml:8:26: apis[0].gatewayResponses[0].responseType: must be one of " + strings.Join(gatewayResponseTypes(), ", ")},
		{"gateway response types unique", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: DEFAULT_4XX }, { responseType: DEFAULT_4XX }]\n" + restStage),
			`r.yaml:8:57: apis[0].gatewayResponses[1].responseType: "DEFAULT_4XX" is already used by apis[0].gatewayResponses[0]`},
		{"gateway response status 3 digits", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: DEFAULT_4XX, statusCode: \"4xx\" }]\n" + restStage),
			"r.yaml:8:53: apis[0].gatewayResponses[0].statusCode: must be a 3-digit HTTP status code, 100 to 599"},
		{"gateway response parameters are headers", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: DEFAULT_4XX, responseParameters: { method.response.header.x: \"'1'\" } }]\n" + restStage),
			`r.yaml:8:75: apis[0].gatewayResponses[0].responseParameters["method.response.header.x"]: must be gatewayresponse.header.NAME`},
		{"gateway response parameters have a source", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: DEFAULT_4XX, responseParameters: { gatewayresponse.header.x: \"\" } }]\n" + restStage),
			`r.yaml:8:75: apis[0].gatewayResponses[0].responseParameters["gatewayresponse.header.x"]: needs a source: method.request.*, stageVariables.*, context.* or a 'quoted literal'`},
		{"stages required", restAPI("    resources: [{ path: /, methods: [{ httpMethod: GET, integration: { type: MOCK } }] }]\n"),
			"r.yaml:2:5: apis[0].stages: at least one stage is required"},
		{"no $default stage", restAPI("    resources: [{ path: /, methods: [{ httpMethod: GET, integration: { type: MOCK } }] }]\n    stages: [{ stageName: $default }]\n"),
			"r.yaml:5:16: apis[0].stages[0].stageName: REST APIs have no $default stage"},
		{"stage name characters", restAPI("    resources: [{ path: /, methods: [{ httpMethod: GET, integration: { type: MOCK } }] }]\n    stages: [{ stageName: \"a b\" }]\n"),
			"r.yaml:5:16: apis[0].stages[0].stageName: must be up to 128 letters, digits, '-' and '_'"},
		{"stage variables spelled as in REST APIs", restAPI("    resources: [{ path: /, methods: [{ httpMethod: GET, integration: { type: MOCK } }] }]\n    stages:\n      - stageName: prod\n        stageVariables: { color: blue }\n"),
			`r.yaml:7:9: apis[0].stages[0].stageVariables: REST stages spell it "variables"`},
		{"API key source known", restAPI("    apiKeySource: QUERY\n" + resources("/")[len(restAPI("")):]),
			"r.yaml:4:5: apis[0].apiKeySource: must be HEADER or AUTHORIZER"},
		{"binary media types", restAPI("    binaryMediaTypes: [image/png, png]\n" + resources("/")[len(restAPI("")):]),
			"r.yaml:4:35: apis[0].binaryMediaTypes[1]: must be a media type like image/png, image/* or */*"},
		{"no routes in REST APIs", restAPI("    routes: [{ routeKey: GET /, integration: { integrationType: MOCK } }]\n" + resources("/")[len(restAPI("")):]),
			"r.yaml:4:5: apis[0].routes: not allowed in REST APIs, only in WEBSOCKET and HTTP APIs"},
		{"no route selection in REST APIs", restAPI("    routeSelectionExpression: ${request.method} ${request.path}\n" + resources("/")[len(restAPI("")):]),
			"r.yaml:4:5: apis[0].routeSelectionExpression: not allowed in REST APIs, only in WEBSOCKET and HTTP APIs"},
		{"no CORS configuration in REST APIs", restAPI("    corsConfiguration: { allowOrigins: [\"*\"] }\n" + resources("/")[len(restAPI("")):]),
			"r.yaml:4:5: apis[0].corsConfiguration: not allowed in REST APIs, only in HTTP APIs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte(tt.src))
			require.Error(t, err)
			first, _, _ := strings.Cut(err.Error(), "\n")
			require.Equal(t, tt.want, first, "all errors:\n%v", err)
		})
	}
}

func TestRESTAPIAcceptsWhatTheRulesAllow(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"root resource", resources("/")},
		{"parents need not be listed", resources("/a/b/{c}/d")},
		{"same variable below one parent", resources("/pets/{petId}", "/pets/{petId}/toys", "/pets/owners")},
		{"variables below different parents", resources("/pets/{id}", "/owners/{ownerId}")},
		{"greedy last", resources("/{proxy+}", "/pets")},
		{"path parameter names", resources("/a/{pet_id}/{pet-id}/{pet.id}")},
		{"ANY next to GET", restMethod("/pets", "ANY", "            integration: { type: MOCK }\n          - httpMethod: GET\n            integration: { type: MOCK }\n")},
		{"path parameter of a greedy segment", restMethod("/{proxy+}", "ANY", "            requestParameters: { method.request.path.proxy: true }\n            integration: { type: HTTP_PROXY, uri: \"http://b/{proxy}\", requestParameters: { integration.request.path.proxy: method.request.path.proxy } }\n")},
		{"every request parameter source", restMethod("/pets/{petId}", "POST",
			"            requestParameters: { method.request.header.x-id: true }\n            integration:\n              type: HTTP\n              uri: http://b/pets/{id}\n              requestParameters:\n"+
				"                integration.request.path.id: method.request.path.petId\n"+
				"                integration.request.header.X-Id: method.request.header.x-id\n"+
				"                integration.request.header.X-Body: method.request.body\n"+
				"                integration.request.header.X-Name: method.request.body.name\n"+
				"                integration.request.querystring.stage: context.stage\n"+
				"                integration.request.querystring.color: stageVariables.color\n"+
				"                integration.request.querystring.fixed: \"'yes'\"\n")},
		{"integration responses without method responses", restIntegration("              type: MOCK\n              integrationResponses: [{ statusCode: \"200\" }, { statusCode: \"500\", selectionPattern: \"5\\\\d{2}\" }]\n")},
		{"timeout bounds", restIntegration("              type: MOCK\n              timeoutInMillis: 50\n")},
		{"authorizer key source", restAPI("    apiKeySource: AUTHORIZER\n" + resources("/")[len(restAPI("")):])},
		{"every gateway response type", restAPI(resources("/")[len(restAPI("")):len(resources("/"))-len(restStage)] + "    gatewayResponses: [{ responseType: " + strings.Join(gatewayResponseTypes(), " }, { responseType: ") + " }]\n" + restStage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("ok.yaml", []byte(tt.src))
			require.NoError(t, err)
		})
	}
}

func TestRESTAPIBuiltInCodeValidates(t *testing.T) {
	c := &Config{APIs: []API{{
		Name:         "pets",
		ProtocolType: ProtocolREST,
		Resources: []Resource{{Path: "/pets/{id}", Methods: []Method{{
			HTTPMethod:  "GET",
			Integration: MethodIntegration{Type: IntegrationHTTPProxy, URI: "http://b/pets/{id}"},
		}}}},
		Stages: []Stage{{StageName: "prod", Variables: map[string]string{"a": "b"}}},
	}}}
	require.NoError(t, c.Validate())
	require.Empty(t, c.APIs[0].Resources[0].Methods[0].Integration.HTTPMethod, "Validate leaves the config as it is")

	c.APIs[0].Stages = nil
	require.EqualError(t, c.Validate(), "apis[0].stages: at least one stage is required")
}

func TestRESTAPIReportsEveryProblem(t *testing.T) {
	src := `apis:
  - name: petstore
    protocolType: REST
    resources:
      - path: /pets/{id}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.path.petId: true, method.request.header.x: false }
            integration:
              type: HTTP
              uri: http://b/pets/{id}
              requestParameters: { integration.request.header.Y: method.request.header.y, integration.request.header.X: method.request.header.x }
      - path: /pets/{petId}
        methods: [{ httpMethod: GET, integration: { type: MOCK } }]
    stages:
      - stageName: prod
        stageVariables: { a: b }
`
	_, err := Parse("all.yaml", []byte(src))
	require.EqualError(t, err, strings.Join([]string{
		`all.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["method.request.path.petId"]: path parameter "petId" is not in the resource path "/pets/{id}"`,
		`all.yaml:12:36: apis[0].resources[0].methods[0].integration.requestParameters["integration.request.header.Y"]: method.request.header.y is not declared in the method's requestParameters`,
		`all.yaml:13:9: apis[0].resources[1].path: {petId} under "/pets" conflicts with {id} of apis[0].resources[0]: a path has at most one variable child`,
		`all.yaml:17:9: apis[0].stages[0].stageVariables: REST stages spell it "variables"`,
	}, "\n"))
}

func TestAPIKeysAreRefusedUntilTheyAreServed(t *testing.T) {
	_, err := Parse("k.yaml", []byte(mockMethod("            apiKeyRequired: true\n")))
	require.ErrorContains(t, err, "apiKeyRequired: API keys and usage plans are not served yet")
	_, err = Parse("k.yaml", []byte(`apis:
  - name: chat
    protocolType: WEBSOCKET
    apiKeySelectionExpression: $request.header.x-api-key
    routes: [ { routeKey: $default, integration: { integrationType: MOCK } } ]
    stages: [ { stageName: prod } ]
`))
	require.ErrorContains(t, err, "k.yaml:4:5: apis[0].apiKeySelectionExpression: API keys and usage plans are not served yet")
}
