package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHTTPAPIParsesWithDefaults(t *testing.T) {
	c, err := Load("testdata/http.yaml")
	require.NoError(t, err)
	require.Len(t, c.APIs, 2)

	a := c.APIs[0]
	require.Equal(t, ProtocolHTTP, a.ProtocolType)
	require.Equal(t, "petsapi123", a.APIID)
	require.Equal(t, &CORS{
		AllowOrigins:     []string{"https://example.com", "https://*.example.org:8443"},
		AllowMethods:     []string{"GET", "POST", "*"},
		AllowHeaders:     []string{"content-type", "x-api-key"},
		ExposeHeaders:    []string{"x-request-id"},
		MaxAge:           600,
		AllowCredentials: true,
	}, a.CORSConfiguration)
	require.Equal(t, Integration{
		IntegrationType:      IntegrationNATS,
		IntegrationURI:       "pets.get",
		TimeoutInMillis:      30000,
		PayloadFormatVersion: "1.0",
	}, stripIntegrationMaps(a.Routes[0].Integration))
	require.Equal(t, Integration{
		IntegrationType:   IntegrationHTTPProxy,
		IntegrationURI:    "http://${stageVariables.backend}:9000/{proxy}",
		IntegrationMethod: "ANY",
		TimeoutInMillis:   30000,
		RequestParameters: map[string]string{
			"overwrite:header.X-Request-Id": "$context.requestId",
			"append:querystring.source":     "gateway",
			"remove:header.cookie":          "''",
			"overwrite:path":                "/v2/$request.path.proxy",
		},
		PayloadFormatVersion: "1.0",
	}, a.Routes[1].Integration)
	require.Equal(t, []Stage{
		{StageName: "$default", StageVariables: map[string]string{"backend": "127.0.0.1"}},
		{StageName: "dev", Description: "Development."},
	}, stripStageMaps(a.Stages))

	quick := c.APIs[1]
	require.Equal(t, HTTPRouteSelectionExpression, quick.RouteSelectionExpression)
	require.Nil(t, quick.CORSConfiguration, "no corsConfiguration, no CORS handling")
	require.Equal(t, []Stage{{StageName: "$default"}}, stripStageMaps(quick.Stages), "an HTTP API without stages gets $default")
	require.Equal(t, Integration{
		IntegrationType:      IntegrationNATS,
		IntegrationURI:       "orders.create",
		TimeoutInMillis:      30000,
		PayloadFormatVersion: "2.0",
	}, stripIntegrationMaps(quick.Routes[0].Integration))
}

func TestHTTPAPIIntegrationDefaultsByType(t *testing.T) {
	c, err := Parse("d.yaml", []byte(httpAPI(
		"    routes:\n"+
			"      - routeKey: GET /a\n        integration: { integrationType: HTTP_PROXY, integrationUri: \"http://b/a\" }\n"+
			"      - routeKey: GET /b\n        integration: { integrationType: MOCK }\n"+
			"      - routeKey: GET /c\n        integration: { integrationType: NATS, integrationUri: c, integrationMethod: GET }\n")))
	require.NoError(t, err)
	routes := c.APIs[0].Routes
	require.Equal(t, "ANY", routes[0].Integration.IntegrationMethod, "HTTP_PROXY forwards the request's method")
	require.Equal(t, "1.0", routes[0].Integration.PayloadFormatVersion)
	require.Empty(t, routes[1].Integration.IntegrationMethod)
	require.Equal(t, "2.0", routes[1].Integration.PayloadFormatVersion)
	require.Equal(t, "GET", routes[2].Integration.IntegrationMethod, "a given method is kept")
	require.Equal(t, "2.0", routes[2].Integration.PayloadFormatVersion)
	for _, r := range routes {
		require.Equal(t, 30000, r.Integration.TimeoutInMillis)
		require.Empty(t, r.Integration.PassthroughBehavior, "HTTP APIs have no mapping templates")
	}
}

// httpAPI wraps routes, stages and other API fields (lines indented for an item of apis) into a
// config with one HTTP API.
func httpAPI(body string) string {
	return "apis:\n  - name: pets\n    protocolType: HTTP\n" + body
}

// httpRoute is one route with an inline integration, lines 4 to 6 of an httpAPI.
func httpRoute(key, integration string) string {
	return "    routes:\n      - routeKey: " + key + "\n        integration: " + integration + "\n"
}

const mockIntegration = "{ integrationType: MOCK }"

func TestHTTPAPIValidationNamesFieldAndPosition(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the first error line
	}{
		{"route selection expression is fixed", httpAPI("    routeSelectionExpression: $request.body.action\n" + httpRoute("$default", mockIntegration)),
			`h.yaml:4:5: apis[0].routeSelectionExpression: must be "${request.method} ${request.path}" in HTTP APIs`},
		{"routes required", httpAPI("    stages: [{ stageName: $default }]\n"),
			"h.yaml:2:5: apis[0].routes: at least one route is required"},
		{"route key without a path", httpAPI(httpRoute("pets", mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: must be $default or "METHOD /path"`},
		{"no $connect in HTTP APIs", httpAPI(httpRoute("$connect", mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: must be $default or "METHOD /path"`},
		{"route key method known", httpAPI(httpRoute("FETCH /pets", mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: method "FETCH" must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`},
		{"route key method upper case", httpAPI(httpRoute("get /pets", mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: method "get" must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`},
		{"route key path absolute", httpAPI(httpRoute("GET pets", mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: path "pets" must start with "/"`},
		{"route key with one space", httpAPI(httpRoute(`"GET  /pets"`, mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: path " /pets" must start with "/"`},
		{"route key path without spaces", httpAPI(httpRoute(`"GET /pets /toys"`, mockIntegration)),
			`h.yaml:5:9: apis[0].routes[0].routeKey: path "/pets /toys" must not contain whitespace or control characters`},
		{"route keys unique", httpAPI(httpRoute("GET /pets", mockIntegration) + "      - routeKey: GET /pets\n        integration: " + mockIntegration + "\n"),
			`h.yaml:7:9: apis[0].routes[1].routeKey: "GET /pets" is already used by apis[0].routes[0]`},
		{"no route responses", httpAPI("    routes:\n      - routeKey: GET /pets\n        routeResponseSelectionExpression: $default\n        integration: " + mockIntegration + "\n"),
			"h.yaml:6:9: apis[0].routes[0].routeResponseSelectionExpression: not allowed in HTTP APIs, only in WEBSOCKET APIs"},
		{"integration type required", httpAPI(httpRoute("$default", "{}")),
			"h.yaml:6:9: apis[0].routes[0].integration.integrationType: required"},
		{"no HTTP integrations", httpAPI(httpRoute("$default", `{ integrationType: HTTP, integrationUri: "http://b/" }`)),
			"h.yaml:6:24: apis[0].routes[0].integration.integrationType: HTTP needs mapping templates, which HTTP APIs do not have; use HTTP_PROXY"},
		{"integration type known", httpAPI(httpRoute("$default", "{ integrationType: AWS_PROXY }")),
			"h.yaml:6:24: apis[0].routes[0].integration.integrationType: must be one of MOCK, NATS, HTTP_PROXY"},
		{"HTTP_PROXY needs a uri", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY }")),
			"h.yaml:6:9: apis[0].routes[0].integration.integrationUri: required for integrationType HTTP_PROXY"},
		{"HTTP_PROXY needs an http URL", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: b.example }")),
			"h.yaml:6:53: apis[0].routes[0].integration.integrationUri: must be an http or https URL with a host"},
		{"NATS needs a subject", httpAPI(httpRoute("$default", "{ integrationType: NATS, integrationUri: \"a b\" }")),
			`h.yaml:6:47: apis[0].routes[0].integration.integrationUri: invalid NATS subject "a b": contains whitespace or control characters`},
		{"MOCK takes no uri", httpAPI(httpRoute("$default", "{ integrationType: MOCK, integrationUri: a }")),
			"h.yaml:6:47: apis[0].routes[0].integration.integrationUri: must be empty for integrationType MOCK"},
		{"integration method known", httpAPI(httpRoute("$default", `{ integrationType: HTTP_PROXY, integrationUri: "http://b/", integrationMethod: FETCH }`)),
			"h.yaml:6:82: apis[0].routes[0].integration.integrationMethod: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"},
		{"timeout at most 30000", httpAPI(httpRoute("$default", "{ integrationType: MOCK, timeoutInMillis: 30001 }")),
			"h.yaml:6:47: apis[0].routes[0].integration.timeoutInMillis: must be between 50 and 30000"},
		{"timeout at least 50", httpAPI(httpRoute("$default", "{ integrationType: MOCK, timeoutInMillis: 49 }")),
			"h.yaml:6:47: apis[0].routes[0].integration.timeoutInMillis: must be between 50 and 30000"},
		{"payload format version known", httpAPI(httpRoute("$default", `{ integrationType: NATS, integrationUri: a, payloadFormatVersion: "3.0" }`)),
			`h.yaml:6:66: apis[0].routes[0].integration.payloadFormatVersion: must be "1.0" or "2.0"`},
		{"HTTP_PROXY payload 1.0 only", httpAPI(httpRoute("$default", `{ integrationType: HTTP_PROXY, integrationUri: "http://b/", payloadFormatVersion: "2.0" }`)),
			`h.yaml:6:82: apis[0].routes[0].integration.payloadFormatVersion: must be "1.0" for integrationType HTTP_PROXY`},
		{"no templates", httpAPI(httpRoute("$default", "{ integrationType: NATS, integrationUri: a.b, templates: { $default: x } }")),
			"h.yaml:6:68: apis[0].routes[0].integration.templates: not allowed in HTTP APIs, which have no mapping templates"},
		{"no template selection", httpAPI(httpRoute("$default", "{ integrationType: MOCK, templateSelectionExpression: x }")),
			"h.yaml:6:47: apis[0].routes[0].integration.templateSelectionExpression: not allowed in HTTP APIs, which have no mapping templates"},
		{"no passthrough behaviour", httpAPI(httpRoute("$default", "{ integrationType: MOCK, passthroughBehavior: NEVER }")),
			"h.yaml:6:47: apis[0].routes[0].integration.passthroughBehavior: not allowed in HTTP APIs, which have no mapping templates"},
		{"parameter mapping action known", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"set:header.x\": a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["set:header.x"]: must be "append:", "overwrite:" or "remove:" followed by header.NAME or querystring.NAME, or "overwrite:path"`},
		{"parameter mapping location known", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"overwrite:body.x\": a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["overwrite:body.x"]: must be "append:", "overwrite:" or "remove:" followed by header.NAME or querystring.NAME, or "overwrite:path"`},
		{"parameter mapping needs an action", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { header.x: a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["header.x"]: must be "append:", "overwrite:" or "remove:" followed by header.NAME or querystring.NAME, or "overwrite:path"`},
		{"path is only overwritten", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"remove:path\": \"''\" } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["remove:path"]: the path can only be overwritten ("overwrite:path")`},
		{"parameter mapping header name", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:header.\": a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["append:header."]: "" is not a valid header name`},
		{"parameter mapping header characters", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:header.a(b)\": a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["append:header.a(b)"]: "a(b)" is not a valid header name`},
		{"parameter mapping only on HTTP_PROXY", httpAPI(httpRoute("$default", "{ integrationType: MOCK, requestParameters: { \"append:header.x\": a } }")),
			`h.yaml:6:47: apis[0].routes[0].integration.requestParameters: parameter mapping is only for integrationType HTTP_PROXY in HTTP APIs`},
		{"parameter mapping value known", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:header.x\": $request.nope } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["append:header.x"]: routeselect: selection expression "$request.nope": unknown variable "request.nope" at offset 1`},
		{"request mapping reads no response", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:header.x\": $response.header.y } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["append:header.x"]: $response.header.y: request mappings cannot read the response`},
		{"response mapping status", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", responseParameters: { \"99\": { \"overwrite:statuscode\": \"500\" } } }")),
			`h.yaml:6:113: apis[0].routes[0].integration.responseParameters.99: must be a status code from 200 to 599`},
		{"response mapping key", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", responseParameters: { \"500\": { \"overwrite:path\": x } } }")),
			`h.yaml:6:122: apis[0].routes[0].integration.responseParameters.500["overwrite:path"]: must be "overwrite:statuscode", or "append:", "overwrite:" or "remove:" followed by header.NAME`},
		{"parameter mapping query name", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:querystring.a b\": a } }")),
			`h.yaml:6:112: apis[0].routes[0].integration.requestParameters["append:querystring.a b"]: "a b" is not a valid query string parameter name`},
		{"CORS origin shape", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      allowOrigins: [example.com]\n"),
			`h.yaml:8:22: apis[0].corsConfiguration.allowOrigins[0]: must be "*" or an origin like https://example.com`},
		{"CORS origin without a path", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      allowOrigins: [\"*\", https://example.com/app]\n"),
			`h.yaml:8:27: apis[0].corsConfiguration.allowOrigins[1]: must be "*" or an origin like https://example.com`},
		{"CORS methods known", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      allowMethods: [GET, FETCH]\n"),
			`h.yaml:8:27: apis[0].corsConfiguration.allowMethods[1]: must be "*" or one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS`},
		{"CORS allowed header names", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      allowHeaders: [\"x y\"]\n"),
			`h.yaml:8:22: apis[0].corsConfiguration.allowHeaders[0]: must be "*" or a header name`},
		{"CORS exposed header names", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      exposeHeaders: [\"\"]\n"),
			`h.yaml:8:23: apis[0].corsConfiguration.exposeHeaders[0]: must be "*" or a header name`},
		{"CORS max age at most a day", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      maxAge: 86401\n"),
			"h.yaml:8:7: apis[0].corsConfiguration.maxAge: must be between -1 and 86400"},
		{"CORS max age at least -1", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      maxAge: -2\n"),
			"h.yaml:8:7: apis[0].corsConfiguration.maxAge: must be between -1 and 86400"},
		{"CORS credentials not with every origin", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration:\n      allowOrigins: [\"*\"]\n      allowCredentials: true\n"),
			`h.yaml:9:7: apis[0].corsConfiguration.allowCredentials: cannot be true when allowOrigins has "*"`},
		{"stage variables spelled as in HTTP APIs", httpAPI(httpRoute("$default", mockIntegration) + "    stages:\n      - stageName: dev\n        variables: { a: b }\n"),
			`h.yaml:9:9: apis[0].stages[0].variables: HTTP stages spell it "stageVariables"`},
		{"stage name characters", httpAPI(httpRoute("$default", mockIntegration) + "    stages:\n      - stageName: dev.1\n"),
			"h.yaml:8:9: apis[0].stages[0].stageName: must be $default or up to 128 letters, digits, '-' and '_'"},
		{"stage names unique", httpAPI(httpRoute("$default", mockIntegration) + "    stages:\n      - stageName: $default\n      - stageName: $default\n"),
			`h.yaml:9:9: apis[0].stages[1].stageName: "$default" is already used by apis[0].stages[0]`},
		{"no API key selection in HTTP APIs", httpAPI("    apiKeySelectionExpression: $request.header.x-api-key\n" + httpRoute("$default", mockIntegration)),
			"h.yaml:4:5: apis[0].apiKeySelectionExpression: not allowed in HTTP APIs, only in WEBSOCKET APIs"},
		{"no resources in HTTP APIs", httpAPI(httpRoute("$default", mockIntegration) + "    resources: [{ path: / }]\n"),
			"h.yaml:7:5: apis[0].resources: not allowed in HTTP APIs, only in REST APIs"},
		{"no binary media types in HTTP APIs", httpAPI(httpRoute("$default", mockIntegration) + "    binaryMediaTypes: [image/png]\n"),
			"h.yaml:7:5: apis[0].binaryMediaTypes: not allowed in HTTP APIs, only in REST APIs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("h.yaml", []byte(tt.src))
			require.Error(t, err)
			first, _, _ := strings.Cut(err.Error(), "\n")
			require.Equal(t, tt.want, first, "all errors:\n%v", err)
		})
	}
}

func TestHTTPAPIAcceptsWhatTheRulesAllow(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"only a $default route", httpAPI(httpRoute("$default", mockIntegration))},
		{"route keys with variables and ANY", httpAPI(httpRoute("GET /pets/{id}", mockIntegration) +
			"      - routeKey: ANY /{proxy+}\n        integration: " + mockIntegration + "\n" +
			"      - routeKey: GET /\n        integration: " + mockIntegration + "\n")},
		{"same path, other method", httpAPI(httpRoute("GET /pets", mockIntegration) + "      - routeKey: POST /pets\n        integration: " + mockIntegration + "\n")},
		{"proxy URL with path variables", httpAPI(httpRoute("ANY /{proxy+}", `{ integrationType: HTTP_PROXY, integrationUri: "https://${stageVariables.host}/api/{proxy}", integrationMethod: ANY, payloadFormatVersion: "1.0" }`))},
		{"NATS payload 1.0", httpAPI(httpRoute("$default", `{ integrationType: NATS, integrationUri: a.b, payloadFormatVersion: "1.0" }`))},
		{"timeout bounds", httpAPI(httpRoute("$default", "{ integrationType: MOCK, timeoutInMillis: 30000 }"))},
		{"every parameter mapping", httpAPI(httpRoute("$default", "{ integrationType: HTTP_PROXY, integrationUri: \"http://b.example/x\", requestParameters: { \"append:header.X-A\": $request.header.a, \"overwrite:querystring.q\": $stageVariables.q, \"remove:querystring.r\": \"''\", \"overwrite:path\": /static } }"))},
		{"CORS for every origin", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration: { allowOrigins: [\"*\"], allowMethods: [\"*\"], allowHeaders: [\"*\"], exposeHeaders: [\"*\"], maxAge: -1 }\n")},
		{"empty CORS", httpAPI(httpRoute("$default", mockIntegration) + "    corsConfiguration: {}\n")},
		{"named stage only", httpAPI(httpRoute("$default", mockIntegration) + "    stages: [{ stageName: dev, stageVariables: { a: b } }]\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("ok.yaml", []byte(tt.src))
			require.NoError(t, err)
		})
	}
}

func TestHTTPAPIBuiltInCodeValidatesWithoutStages(t *testing.T) {
	c := &Config{APIs: []API{{
		Name:         "pets",
		ProtocolType: ProtocolHTTP,
		Routes:       []Route{{RouteKey: "GET /pets", Integration: Integration{IntegrationType: IntegrationMock}}},
	}}}
	require.NoError(t, c.Validate())
	require.Empty(t, c.APIs[0].Stages, "Validate leaves the config as it is")
}

func TestEmptyCORSConfigurationIsKept(t *testing.T) {
	c, err := Parse("c.yaml", []byte(httpAPI(httpRoute("$default", mockIntegration)+"    corsConfiguration: {}\n")))
	require.NoError(t, err)
	require.Equal(t, &CORS{}, c.APIs[0].CORSConfiguration, "an empty corsConfiguration still turns CORS handling on")
}
