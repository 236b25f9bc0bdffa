package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMissingIntegrationURIPointsAtTheIntegration(t *testing.T) {
	src, err := os.ReadFile("testdata/chat.yaml")
	require.NoError(t, err)
	broken := strings.Replace(string(src), ", integrationUri: chat.sendmessage", "", 1)

	_, err = Parse("examples/chat.yaml", []byte(broken))
	require.EqualError(t, err, "examples/chat.yaml:12:9: apis[0].routes[2].integration.integrationUri: required for integrationType NATS")
}

// api wraps routes and stages (YAML lines indented for an item of apis) into a config.
func api(body string) string {
	return "apis:\n  - name: chat\n    protocolType: WEBSOCKET\n" + body
}

const oneStage = "    stages:\n      - stageName: prod\n"

func route(lines string) string {
	return "    routes:\n      - routeKey: $default\n" + lines + oneStage
}

func TestValidateNamesFieldAndPosition(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the first error line
	}{
		{"api name required", "apis:\n  - protocolType: WEBSOCKET\n" + route("        integration: { integrationType: MOCK }\n"),
			"v.yaml:2:5: apis[0].name: required"},
		{"api names unique", api(route("        integration: { integrationType: MOCK }\n")) + "  - name: chat\n    protocolType: WEBSOCKET\n" + route("        integration: { integrationType: MOCK }\n"),
			`v.yaml:9:5: apis[1].name: "chat" is already used by apis[0]`},
		{"api id shape", "apis:\n  - name: chat\n    apiId: ABC\n    protocolType: WEBSOCKET\n" + route("        integration: { integrationType: MOCK }\n"),
			"v.yaml:3:5: apis[0].apiId: must be 10 characters of a-z and 0-9"},
		{"api ids unique", "apis:\n  - { name: a, apiId: abcdef1234, protocolType: WEBSOCKET, routes: [{ routeKey: x, integration: { integrationType: MOCK } }], stages: [{ stageName: p }] }\n" +
			"  - { name: b, apiId: abcdef1234, protocolType: WEBSOCKET, routes: [{ routeKey: x, integration: { integrationType: MOCK } }], stages: [{ stageName: p }] }\n",
			`v.yaml:3:16: apis[1].apiId: "abcdef1234" is already used by apis[0]`},
		{"protocol type required", "apis:\n  - name: chat\n" + route("        integration: { integrationType: MOCK }\n"),
			"v.yaml:2:5: apis[0].protocolType: required"},
		{"protocol type known", "apis:\n  - name: chat\n    protocolType: websocket\n" + route("        integration: { integrationType: MOCK }\n"),
			"v.yaml:3:5: apis[0].protocolType: must be one of WEBSOCKET, HTTP, REST"},
		{"REST fields not in WEBSOCKET APIs", api(route("        integration: { integrationType: MOCK }\n")) + "    resources: [{ path: /, methods: [{ httpMethod: GET, integration: { type: MOCK } }] }]\n",
			"v.yaml:9:5: apis[0].resources: not allowed in WEBSOCKET APIs, only in REST APIs"},
		{"HTTP fields not in WEBSOCKET APIs", api(route("        integration: { integrationType: MOCK }\n")) + "    corsConfiguration: { allowOrigins: [\"*\"] }\n",
			"v.yaml:9:5: apis[0].corsConfiguration: not allowed in WEBSOCKET APIs, only in HTTP APIs"},
		{"WEBSOCKET stage variables spelled as in WEBSOCKET APIs", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - stageName: prod\n        variables: { a: b }\n"),
			`v.yaml:9:9: apis[0].stages[0].variables: WEBSOCKET stages spell it "stageVariables"`},
		{"routes required", api(oneStage),
			"v.yaml:2:5: apis[0].routes: at least one route is required"},
		{"route key required", api("    routes:\n      - integration: { integrationType: MOCK }\n" + oneStage),
			"v.yaml:5:9: apis[0].routes[0].routeKey: required"},
		{"route keys unique", api("    routes:\n      - routeKey: echo\n        integration: { integrationType: MOCK }\n      - routeKey: echo\n        integration: { integrationType: MOCK }\n" + oneStage),
			`v.yaml:7:9: apis[0].routes[1].routeKey: "echo" is already used by apis[0].routes[0]`},
		{"stages required", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n"),
			"v.yaml:2:5: apis[0].stages: at least one stage is required"},
		{"stage name required", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - description: no name\n"),
			"v.yaml:8:9: apis[0].stages[0].stageName: required"},
		{"stage name characters", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - stageName: my stage\n"),
			"v.yaml:8:9: apis[0].stages[0].stageName: must be $default or up to 128 letters, digits, '-' and '_'"},
		{"stage name length", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - stageName: " + strings.Repeat("a", 129) + "\n"),
			"v.yaml:8:9: apis[0].stages[0].stageName: must be $default or up to 128 letters, digits, '-' and '_'"},
		{"stage names unique", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - stageName: prod\n      - stageName: prod\n"),
			`v.yaml:9:9: apis[0].stages[1].stageName: "prod" is already used by apis[0].stages[0]`},
		{"integration type required", api(route("        integration: {}\n")),
			"v.yaml:6:9: apis[0].routes[0].integration.integrationType: required"},
		{"integration type known", api(route("        integration:\n          integrationType: AWS\n")),
			"v.yaml:7:11: apis[0].routes[0].integration.integrationType: must be one of MOCK, NATS, HTTP_PROXY, HTTP"},
		{"MOCK takes no uri", api(route("        integration: { integrationType: MOCK, integrationUri: x }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.integrationUri: must be empty for integrationType MOCK"},
		{"NATS needs a uri", api(route("        integration:\n          integrationType: NATS\n")),
			"v.yaml:6:9: apis[0].routes[0].integration.integrationUri: required for integrationType NATS"},
		{"NATS subject without spaces", api(route("        integration: { integrationType: NATS, integrationUri: \"chat send\" }\n")),
			`v.yaml:6:47: apis[0].routes[0].integration.integrationUri: invalid NATS subject "chat send": contains whitespace or control characters`},
		{"NATS subject without wildcards", api(route("        integration: { integrationType: NATS, integrationUri: \"chat.*\" }\n")),
			`v.yaml:6:47: apis[0].routes[0].integration.integrationUri: invalid NATS subject "chat.*": wildcards are not allowed`},
		{"NATS subject without full wildcard", api(route("        integration: { integrationType: NATS, integrationUri: \"chat.>\" }\n")),
			`v.yaml:6:47: apis[0].routes[0].integration.integrationUri: invalid NATS subject "chat.>": wildcards are not allowed`},
		{"NATS subject without empty tokens", api(route("        integration: { integrationType: NATS, integrationUri: chat..send }\n")),
			`v.yaml:6:47: apis[0].routes[0].integration.integrationUri: invalid NATS subject "chat..send": empty token`},
		{"HTTP needs a uri", api(route("        integration: { integrationType: HTTP }\n")),
			"v.yaml:6:9: apis[0].routes[0].integration.integrationUri: required for integrationType HTTP"},
		{"HTTP_PROXY needs an http URL", api(route("        integration: { integrationType: HTTP_PROXY, integrationUri: \"ftp://example.com/x\" }\n")),
			"v.yaml:6:53: apis[0].routes[0].integration.integrationUri: must be an http or https URL with a host"},
		{"HTTP needs a host", api(route("        integration: { integrationType: HTTP, integrationUri: \"http:///x\" }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.integrationUri: must be an http or https URL with a host"},
		{"HTTP URL must parse", api(route("        integration: { integrationType: HTTP, integrationUri: \"http://exa mple.com/\" }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.integrationUri: must be an http or https URL with a host"},
		{"integration method known", api(route("        integration: { integrationType: HTTP, integrationUri: \"http://b/\", integrationMethod: FETCH }\n")),
			"v.yaml:6:76: apis[0].routes[0].integration.integrationMethod: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"},
		{"timeout at least 50", api(route("        integration: { integrationType: MOCK, timeoutInMillis: 49 }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.timeoutInMillis: must be between 50 and 29000"},
		{"timeout at most 29000", api(route("        integration: { integrationType: MOCK, timeoutInMillis: 29001 }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.timeoutInMillis: must be between 50 and 29000"},
		{"negative timeout", api(route("        integration: { integrationType: MOCK, timeoutInMillis: -1 }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.timeoutInMillis: must be between 50 and 29000"},
		{"passthrough behaviour known", api(route("        integration: { integrationType: MOCK, passthroughBehavior: ALWAYS }\n")),
			"v.yaml:6:47: apis[0].routes[0].integration.passthroughBehavior: must be one of WHEN_NO_MATCH, NEVER, WHEN_NO_TEMPLATES"},
		{"payload format version known", api(route("        integration: { integrationType: MOCK, payloadFormatVersion: \"3.0\" }\n")),
			`v.yaml:6:47: apis[0].routes[0].integration.payloadFormatVersion: must be "1.0" or "2.0"`},
		{"route response only $default", api(route("        routeResponseSelectionExpression: $request.body.x\n        integration: { integrationType: MOCK }\n")),
			`v.yaml:6:9: apis[0].routes[0].routeResponseSelectionExpression: must be "" (one-way) or "$default" (two-way)`},
		{"no route response on $disconnect", api("    routes:\n      - routeKey: $disconnect\n        routeResponseSelectionExpression: $default\n        integration: { integrationType: MOCK }\n" + oneStage),
			"v.yaml:6:9: apis[0].routes[0].routeResponseSelectionExpression: not allowed on the $disconnect route"},
		{"frame limit positive", "websocket:\n  maxFrameBytes: -1\n",
			"v.yaml:2:3: websocket.maxFrameBytes: must be positive"},
		{"message limit positive", "websocket:\n  maxMessageBytes: -1\n",
			"v.yaml:2:3: websocket.maxMessageBytes: must be positive"},
		{"outbound queue positive", "websocket:\n  outboundQueueBytes: -1\n",
			"v.yaml:2:3: websocket.outboundQueueBytes: must be positive"},
		{"frame within message", "websocket:\n  maxFrameBytes: 200000\n",
			"v.yaml:2:3: websocket.maxFrameBytes: must not exceed maxMessageBytes (131072)"},
		{"frame within configured message", "websocket:\n  maxFrameBytes: 2048\n  maxMessageBytes: 1024\n",
			"v.yaml:2:3: websocket.maxFrameBytes: must not exceed maxMessageBytes (1024)"},
		{"idle timeout positive", "websocket:\n  idleTimeout: -1s\n",
			"v.yaml:2:3: websocket.idleTimeout: must be positive"},
		{"connection duration positive", "websocket:\n  maxConnectionDuration: -5\n",
			"v.yaml:2:3: websocket.maxConnectionDuration: must be positive"},
		{"write timeout positive", "websocket:\n  writeTimeout: -1m\n",
			"v.yaml:2:3: websocket.writeTimeout: must be positive"},
		{"handshake timeout positive", "websocket:\n  handshakeTimeout: -1m\n",
			"v.yaml:2:3: websocket.handshakeTimeout: must be positive"},
		{"drain timeout positive", "node:\n  drainTimeout: -1s\n",
			"v.yaml:2:3: node.drainTimeout: must be positive"},
		{"forward timeout positive", "connectionsApi:\n  forwardTimeout: -1s\n",
			"v.yaml:2:3: connectionsApi.forwardTimeout: must be positive"},
		{"log level known", "node:\n  logLevel: verbose\n",
			"v.yaml:2:3: node.logLevel: must be one of debug, info, warn, error"},
		{"credential key id required", "connectionsApi:\n  credentials:\n    - secretAccessKey: s\n",
			"v.yaml:3:7: connectionsApi.credentials[0].accessKeyId: required"},
		{"credential secret required", "connectionsApi:\n  credentials:\n    - accessKeyId: AKID\n",
			"v.yaml:3:7: connectionsApi.credentials[0].secretAccessKey: required"},
		{"credential key ids unique", "connectionsApi:\n  credentials:\n    - { accessKeyId: AKID, secretAccessKey: a }\n    - { accessKeyId: AKID, secretAccessKey: b }\n",
			`v.yaml:4:9: connectionsApi.credentials[1].accessKeyId: "AKID" is already used by connectionsApi.credentials[0]`},
		{"default api exists", "defaultApi: chat\n",
			`v.yaml:1:1: defaultApi: no api has name or apiId "chat"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v.yaml", []byte(tt.src))
			require.Error(t, err)
			first, _, _ := strings.Cut(err.Error(), "\n")
			require.Equal(t, tt.want, first, "all errors:\n%v", err)
		})
	}
}

func TestValidateAcceptsWhatTheRulesAllow(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"two-way route", api(route("        routeResponseSelectionExpression: $default\n        integration: { integrationType: MOCK }\n"))},
		{"https URL with stage variables", api(route("        integration: { integrationType: HTTP_PROXY, integrationUri: \"https://${stageVariables.host}/x\" }\n"))},
		{"timeout bounds", api(route("        integration: { integrationType: MOCK, timeoutInMillis: 50 }\n"))},
		{"$default stage", api("    routes:\n      - routeKey: $default\n        integration: { integrationType: MOCK }\n    stages:\n      - stageName: $default\n")},
		{"default api by id", "defaultApi: abcdef1234\n" + "apis:\n  - name: chat\n    apiId: abcdef1234\n    protocolType: WEBSOCKET\n" + route("        integration: { integrationType: MOCK }\n")},
		{"default api by derived id", "defaultApi: " + DeriveAPIID("chat") + "\n" + api(route("        integration: { integrationType: MOCK }\n"))},
		{"frame equal to message", "websocket: { maxFrameBytes: 4096, maxMessageBytes: 4096 }\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("ok.yaml", []byte(tt.src))
			require.NoError(t, err)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	src := `node:
  logLevel: loud
websocket:
  maxFrameBytes: 262144
connectionsApi:
  credentials:
    - accessKeyId: ""
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: sendmessage
        integration: { integrationType: NATS }
      - routeKey: sendmessage
        integration: { integrationType: HTTP_PROXY, integrationUri: "localhost:9000", timeoutInMillis: 30000 }
    stages:
      - stageName: prod
      - stageName: prod
defaultApi: lobby
`
	_, err := Parse("all.yaml", []byte(src))
	require.EqualError(t, err, strings.Join([]string{
		"all.yaml:2:3: node.logLevel: must be one of debug, info, warn, error",
		"all.yaml:4:3: websocket.maxFrameBytes: must not exceed maxMessageBytes (131072)",
		"all.yaml:7:7: connectionsApi.credentials[0].accessKeyId: required",
		"all.yaml:7:7: connectionsApi.credentials[0].secretAccessKey: required",
		"all.yaml:13:9: apis[0].routes[0].integration.integrationUri: required for integrationType NATS",
		`all.yaml:14:9: apis[0].routes[1].routeKey: "sendmessage" is already used by apis[0].routes[0]`,
		"all.yaml:15:53: apis[0].routes[1].integration.integrationUri: must be an http or https URL with a host",
		"all.yaml:15:87: apis[0].routes[1].integration.timeoutInMillis: must be between 50 and 29000",
		`all.yaml:18:9: apis[0].stages[1].stageName: "prod" is already used by apis[0].stages[0]`,
		`all.yaml:19:1: defaultApi: no api has name or apiId "lobby"`,
	}, "\n"))

	var es Errors
	require.True(t, errors.As(err, &es))
	require.Len(t, es, 10)
	require.Equal(t, FieldError{Path: "node.logLevel", Msg: "must be one of debug, info, warn, error", Pos: "all.yaml:2:3"}, es[0])
}

func TestValidateConfigBuiltInCode(t *testing.T) {
	t.Run("zero values mean defaults", func(t *testing.T) {
		c := &Config{APIs: []API{{
			Name:         "chat",
			ProtocolType: ProtocolWebSocket,
			Routes:       []Route{{RouteKey: "$default", Integration: Integration{IntegrationType: IntegrationMock}}},
			Stages:       []Stage{{StageName: "prod"}},
		}}}
		require.NoError(t, c.Validate())
		require.Empty(t, c.APIs[0].APIID, "Validate leaves the config as it is")
	})
	t.Run("problems carry no position", func(t *testing.T) {
		c := &Config{
			WebSocket: WebSocket{IdleTimeout: Duration(-time.Second)},
			APIs:      []API{{Name: "chat", ProtocolType: ProtocolWebSocket}},
		}
		require.EqualError(t, c.Validate(), strings.Join([]string{
			"websocket.idleTimeout: must be positive",
			"apis[0].routes: at least one route is required",
			"apis[0].stages: at least one stage is required",
		}, "\n"))
	})
}
