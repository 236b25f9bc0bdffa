package config

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/require"
)

func TestDesignExampleParsesWithDefaults(t *testing.T) {
	c, err := Load("testdata/chat.yaml")
	require.NoError(t, err)
	require.Equal(t, "testdata/chat.yaml", c.File)

	require.Equal(t, Node{
		Listen:       ":8080",
		Admin:        "127.0.0.1:8081",
		NATSListen:   "127.0.0.1:4222",
		Region:       "us-east-1",
		DrainTimeout: Duration(25 * time.Second),
		LogLevel:     "info",

		MaxInflightIntegrations: 10000,
	}, c.Node)
	require.Equal(t, WebSocket{
		MaxFrameBytes:         32768,
		MaxMessageBytes:       131072,
		IdleTimeout:           Duration(10 * time.Minute),
		MaxConnectionDuration: Duration(2 * time.Hour),
		OutboundQueueBytes:    1 << 20,
		WriteTimeout:          Duration(10 * time.Second),
		HandshakeTimeout:      Duration(10 * time.Second),

		MaxInflightPerConnection: 64,
	}, c.WebSocket)
	require.Equal(t, Duration(2*time.Second), c.ConnectionsAPI.ForwardTimeout)

	require.Len(t, c.APIs, 1)
	a := c.APIs[0]
	require.Equal(t, "chat", a.Name)
	require.Equal(t, DeriveAPIID("chat"), a.APIID)
	require.Equal(t, ProtocolWebSocket, a.ProtocolType)
	require.Equal(t, "$request.body.action", a.RouteSelectionExpression)
	require.Equal(t, []Stage{{StageName: "prod"}}, stripStageMaps(a.Stages))

	keys := make([]string, len(a.Routes))
	for i, r := range a.Routes {
		keys[i] = r.RouteKey
		require.Equal(t, 29000, r.Integration.TimeoutInMillis, r.RouteKey)
		require.Equal(t, PassthroughWhenNoMatch, r.Integration.PassthroughBehavior, r.RouteKey)
		require.Equal(t, "1.0", r.Integration.PayloadFormatVersion, r.RouteKey)
	}
	require.Equal(t, []string{"$connect", "echo", "sendmessage", "$default"}, keys)

	echo := a.Routes[1]
	require.Equal(t, "$default", echo.RouteResponseSelectionExpression)
	require.Equal(t, map[string]string{"$default": "$input.body"}, echo.Integration.Templates)
	require.Empty(t, echo.Integration.IntegrationMethod, "MOCK has no method")

	send := a.Routes[2].Integration
	require.Equal(t, Integration{
		IntegrationType:      IntegrationNATS,
		IntegrationURI:       "chat.sendmessage",
		TimeoutInMillis:      29000,
		PassthroughBehavior:  PassthroughWhenNoMatch,
		PayloadFormatVersion: "1.0",
	}, stripIntegrationMaps(send))

	proxy := a.Routes[3].Integration
	require.Equal(t, IntegrationHTTPProxy, proxy.IntegrationType)
	require.Equal(t, "http://127.0.0.1:9000/default", proxy.IntegrationURI)
	require.Equal(t, "POST", proxy.IntegrationMethod)
}

func TestEveryFieldIsRead(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	require.NoError(t, err)

	require.Equal(t, Node{
		Listen:       "0.0.0.0:9080",
		Admin:        "127.0.0.1:9081",
		NATS:         "nats://a:4222,nats://b:4222",
		NATSListen:   "127.0.0.1:5222",
		NATSDataDir:  "/var/lib/portico",
		NodeID:       "node-1",
		Region:       "eu-west-1",
		DrainTimeout: Duration(30 * time.Second),
		LogLevel:     "debug",

		MaxInflightIntegrations: 500,
	}, c.Node)
	require.Equal(t, WebSocket{
		MaxFrameBytes:         65536,
		MaxMessageBytes:       262144,
		IdleTimeout:           Duration(5 * time.Minute),
		MaxConnectionDuration: Duration(time.Hour),
		OutboundQueueBytes:    2097152,
		WriteTimeout:          Duration(5 * time.Second),
		HandshakeTimeout:      Duration(2500 * time.Millisecond),

		MaxInflightPerConnection: 16,
	}, c.WebSocket)
	require.Equal(t, []Credential{{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}},
		c.ConnectionsAPI.Credentials)
	require.Equal(t, "chat", c.DefaultAPI)

	require.Len(t, c.APIs, 2)
	a := c.APIs[0]
	require.Equal(t, "abcdef1234", a.APIID)
	require.Equal(t, "${request.body.action}", a.RouteSelectionExpression)
	require.Equal(t, "Chat rooms.", a.Description)
	require.Equal(t, Integration{
		IntegrationType:             IntegrationHTTP,
		IntegrationURI:              "https://auth.example.com/connect",
		IntegrationMethod:           "GET",
		TimeoutInMillis:             5000,
		Templates:                   map[string]string{"$default": `{"id": "$context.connectionId"}`},
		TemplateSelectionExpression: `\$default`,
		RequestParameters:           map[string]string{"integration.request.header.X-Connection": "context.connectionId"},
		PassthroughBehavior:         PassthroughNever,
		PayloadFormatVersion:        "1.0",
	}, a.Routes[0].Integration)
	require.Equal(t, "prod", a.Stages[0].StageName)
	require.Equal(t, "Production.", a.Stages[0].Description)
	require.Equal(t, map[string]string{"color": "blue"}, a.Stages[0].StageVariables)
	require.Equal(t, "$default", a.Stages[1].StageName)
	require.Equal(t, DeriveAPIID("other"), c.APIs[1].APIID)
}

func TestJSONIsAccepted(t *testing.T) {
	c, err := Load("testdata/chat.json")
	require.NoError(t, err)
	require.Len(t, c.APIs, 1)
	require.Equal(t, "chat", c.APIs[0].Name)
	require.Equal(t, "chat.sendmessage", c.APIs[0].Routes[1].Integration.IntegrationURI)
	require.Equal(t, Duration(time.Minute), c.WebSocket.IdleTimeout)
	require.Equal(t, Duration(1500*time.Millisecond), c.WebSocket.WriteTimeout)
}

func TestJSONErrorsArePositioned(t *testing.T) {
	src := "{\n\t\"apis\": [{\"name\": \"chat\", \"protocolType\": \"WEBSOCKET\", \"stages\": [{\"stageName\": \"prod\"}],\n\t\t\"routes\": [{\"routeKey\": \"$default\", \"integration\": {\"integrationType\": \"NATS\"}}]}]\n}\n"
	_, err := Parse("chat.json", []byte(src))
	require.EqualError(t, err, `chat.json:3:39: apis[0].routes[0].integration.integrationUri: required for integrationType NATS`)
}

func TestMarshalledConfigParsesBackUnchanged(t *testing.T) {
	for _, file := range []string{"testdata/chat.yaml", "testdata/full.yaml", "testdata/chat.json", "testdata/http.yaml", "testdata/petstore.yaml"} {
		t.Run(file, func(t *testing.T) {
			c, err := Load(file)
			require.NoError(t, err)

			y, err := yaml.Marshal(c)
			require.NoError(t, err)
			fromYAML, err := Parse("again.yaml", y)
			require.NoError(t, err, string(y))
			require.Equal(t, comparable(c), comparable(fromYAML), string(y))

			j, err := json.Marshal(c)
			require.NoError(t, err)
			fromJSON, err := Parse("again.json", j)
			require.NoError(t, err, string(j))
			require.Equal(t, comparable(c), comparable(fromJSON), string(j))
		})
	}
}

func TestMissingFileReportsOpenError(t *testing.T) {
	_, err := Load("testdata/missing.yaml")
	require.EqualError(t, err, "open testdata/missing.yaml: no such file or directory")
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestEmptyFileIsAValidConfigWithDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "{}"} {
		c, err := Parse("empty.yaml", []byte(src))
		require.NoError(t, err, "%q", src)
		require.Empty(t, c.APIs)
		require.Equal(t, ":8080", c.Node.Listen)
	}
}

func TestDecodeErrorsArePositioned(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "unknown top-level field",
			src:  "node:\n  listen: :8080\napi: []\n",
			want: `c.yaml:3:1: api: unknown field "api"`,
		},
		{
			name: "every unknown field, in file order",
			src:  "apis:\n  - name: x\n    protocolType: WEBSOCKET\n    routes:\n      - routeKey: a\n        integration:\n          integrationType: NATS\n          integrationURI: a.b\n          timeout: 5\n    stage: []\n",
			want: "c.yaml:8:11: apis[0].routes[0].integration.integrationURI: unknown field \"integrationURI\"\n" +
				"c.yaml:9:11: apis[0].routes[0].integration.timeout: unknown field \"timeout\"\n" +
				"c.yaml:10:5: apis[0].stage: unknown field \"stage\"\n" +
				// What the unknown fields were meant to say is still missing, and said so.
				"c.yaml:6:9: apis[0].routes[0].integration.integrationUri: required for integrationType NATS\n" +
				"c.yaml:2:5: apis[0].stages: at least one stage is required",
		},
		{
			name: "unknown field in a flow mapping",
			src:  "apis:\n  - { name: x, protocol: WEBSOCKET }\n",
			want: "c.yaml:2:16: apis[0].protocol: unknown field \"protocol\"\nc.yaml:2:5: apis[0].protocolType: required",
		},
		{
			name: "string where an integer belongs",
			src:  "websocket:\n  maxFrameBytes: lots\n",
			want: `c.yaml:2:18: websocket.maxFrameBytes: expected an integer, got a string`,
		},
		{
			name: "mapping where a string belongs",
			src:  "apis:\n  - name:\n      first: x\n",
			want: `c.yaml:3:12: apis[0].name: expected a string, got a mapping`,
		},
		{
			name: "integer where a sequence belongs",
			src:  "apis: 5\n",
			want: `c.yaml:1:7: apis: expected a sequence, got an integer`,
		},
		{
			name: "sequence where a mapping belongs",
			src:  "node: [1]\n",
			want: `c.yaml:1:7: node: expected a mapping, got a sequence`,
		},
		{
			name: "integer out of range",
			src:  "websocket:\n  maxFrameBytes: 99999999999999999999999\n",
			want: `c.yaml:2:18: websocket.maxFrameBytes: 99999999999999999999999 is out of range for an integer`,
		},
		{
			name: "bad duration string",
			src:  "node:\n  drainTimeout: soon\n",
			want: `c.yaml:2:17: node.drainTimeout: "soon": expected a duration like "10s" or a number of milliseconds`,
		},
		{
			name: "duration given as a sequence",
			src:  "websocket:\n  idleTimeout: [1]\n",
			want: `c.yaml:2:16: websocket.idleTimeout: expected a duration like "10s" or a number of milliseconds, got a sequence`,
		},
		{
			name: "document that is not a mapping",
			src:  "hello\n",
			want: `c.yaml:1:1: expected a mapping, got a string`,
		},
		{
			name: "syntax error",
			src:  "apis: [\n",
			want: `c.yaml:1:7: sequence end token ']' not found`,
		},
		{
			name: "duplicate key",
			src:  "node:\n  listen: a\n  listen: b\n",
			want: `c.yaml:3:3: mapping key "listen" already defined at [2:3]`,
		},
		{
			name: "two documents",
			src:  "node: {}\n---\nnode: {}\n",
			want: `c.yaml:3:1: more than one YAML document; a config file holds one`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.src))
			require.EqualError(t, err, tt.want)
			var es *Errors
			require.True(t, errors.As(err, &es))
		})
	}
}

func TestAliasesAndMergeKeysDecode(t *testing.T) {
	src := `
node:
  drainTimeout: &short 5s
websocket:
  writeTimeout: *short
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: &nats
          integrationType: NATS
          integrationUri: chat.default
      - routeKey: $connect
        integration:
          <<: *nats
          timeoutInMillis: 1000
          bogus: 1
    stages: [{ stageName: prod }]
`
	_, err := Parse("a.yaml", []byte(src))
	require.EqualError(t, err, `a.yaml:18:11: apis[0].routes[1].integration.bogus: unknown field "bogus"`)

	c, err := Parse("a.yaml", []byte(src[:len(src)-len("          bogus: 1\n    stages: [{ stageName: prod }]\n")]+"    stages: [{ stageName: prod }]\n"))
	require.NoError(t, err)
	require.Equal(t, Duration(5*time.Second), c.WebSocket.WriteTimeout)
	require.Equal(t, "chat.default", c.APIs[0].Routes[1].Integration.IntegrationURI)
	require.Equal(t, 1000, c.APIs[0].Routes[1].Integration.TimeoutInMillis)
}

func TestLoadReadsRealFiles(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/bad.yaml"
	require.NoError(t, os.WriteFile(path, []byte("node:\n  logLevel: loud\n"), 0o600))
	_, err := Load(path)
	require.EqualError(t, err, path+":2:3: node.logLevel: must be one of debug, info, warn, error")
}

// comparable drops what depends on where a config was read from.
func comparable(c *Config) Config {
	out := *c
	out.File, out.src = "", nil
	if len(out.ConnectionsAPI.Credentials) == 0 {
		out.ConnectionsAPI.Credentials = nil
	}
	out.APIs = append([]API(nil), c.APIs...)
	for i := range out.APIs {
		a := &out.APIs[i]
		a.Stages = stripStageMaps(a.Stages)
		routes := append([]Route(nil), a.Routes...)
		for j := range routes {
			routes[j].Integration = stripIntegrationMaps(routes[j].Integration)
		}
		a.Routes = routes
	}
	return out
}

// stripStageMaps turns empty stage variable maps into nil, as the decoder may make either.
func stripStageMaps(stages []Stage) []Stage {
	out := append([]Stage(nil), stages...)
	for i := range out {
		if len(out[i].StageVariables) == 0 {
			out[i].StageVariables = nil
		}
	}
	return out
}

// stripIntegrationMaps turns empty maps into nil, as the decoder may make either.
func stripIntegrationMaps(in Integration) Integration {
	if len(in.Templates) == 0 {
		in.Templates = nil
	}
	if len(in.RequestParameters) == 0 {
		in.RequestParameters = nil
	}
	return in
}

func TestUnknownFieldDoesNotHideOtherProblems(t *testing.T) {
	src := `node:
  listn: ":9000"
  logLevel: loud
websocket:
  maxFrameBytes: -1
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: NATS, integrationURI: chat.default }
    stages: [ { stageName: prod } ]
`
	_, err := Parse("u.yaml", []byte(src))
	require.EqualError(t, err, `u.yaml:2:3: node.listn: unknown field "listn"
u.yaml:11:47: apis[0].routes[0].integration.integrationURI: unknown field "integrationURI"
u.yaml:3:3: node.logLevel: must be one of debug, info, warn, error
u.yaml:5:3: websocket.maxFrameBytes: must be positive
u.yaml:11:9: apis[0].routes[0].integration.integrationUri: required for integrationType NATS`)
}
