package engine

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

const wireAPIs = `
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: POST /v2
        integration: { integrationType: NATS, integrationUri: wire.v2 }
      - routeKey: POST /v1
        integration: { integrationType: NATS, integrationUri: wire.v1, payloadFormatVersion: "1.0" }
      - routeKey: GET /string
        integration: { integrationType: NATS, integrationUri: wire.string }
      - routeKey: GET /multi
        integration: { integrationType: NATS, integrationUri: wire.multi }
`

func TestHTTPAPIPayload1LowerCasesHeaderNames(t *testing.T) {
	env := newAdapterEnv(t, wireAPIs)
	evs := capture[events.APIGatewayProxyRequest](t, env, "wire.v1", `{"statusCode":200}`)
	env.serve(t, http.MethodPost, "http://localhost/v1", strings.NewReader(`{}`),
		http.Header{"Content-Type": {"application/json"}, "X-Mixed-Case": {"a", "b"}})
	ev := receive(t, evs)
	require.Equal(t, "b", ev.Headers["x-mixed-case"])
	require.Equal(t, []string{"a", "b"}, ev.MultiValueHeaders["x-mixed-case"])
	require.NotContains(t, ev.Headers, "Content-Type")
	require.Nil(t, ev.RequestContext.Authorizer["claims"])
}

func TestHTTPAPIPayload2Base64EncodesBodiesThatAreNotText(t *testing.T) {
	env := newAdapterEnv(t, wireAPIs)
	evs := capture[events.APIGatewayV2HTTPRequest](t, env, "wire.v2", `{"statusCode":200}`)
	for _, tc := range []struct {
		contentType string
		base64      bool
	}{
		{"application/json", false}, {"text/plain; charset=utf-8", false}, {"application/xml", false},
		{"application/javascript", false}, {"application/vnd.api+json", false}, {"image/svg+xml", false},
		{"", true}, {"application/x-www-form-urlencoded", true}, {"application/octet-stream", true},
	} {
		h := http.Header{}
		if tc.contentType != "" {
			h.Set("Content-Type", tc.contentType)
		}
		env.serve(t, http.MethodPost, "http://localhost/v2", strings.NewReader("a=1"), h)
		ev := receive(t, evs)
		require.Equal(t, tc.base64, ev.IsBase64Encoded, tc.contentType)
		if tc.base64 {
			require.Equal(t, "YT0x", ev.Body)
		}
	}
}

func TestHTTPAPIPayload2StringReplyIsTheBody(t *testing.T) {
	env := newAdapterEnv(t, wireAPIs)
	env.respond(t, "wire.string", func([]byte) []byte { return []byte(`"hello"`) })
	rec := env.serve(t, http.MethodGet, "http://localhost/string", nil, nil)
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "hello", rec.Body.String())
	// Payload 2.0 has no multiValueHeaders.
	env.respond(t, "wire.multi", func([]byte) []byte {
		return []byte(`{"statusCode":200,"headers":{"x-a":"1"},"multiValueHeaders":{"x-b":["2","3"]},"body":"b"}`)
	})
	rec = env.serve(t, http.MethodGet, "http://localhost/multi", nil, nil)
	require.Equal(t, "1", rec.Header().Get("X-A"))
	require.Empty(t, rec.Header().Values("X-B"))
}

func TestRESTBase64ReplyIsDecodedOnlyForBinaryMediaTypes(t *testing.T) {
	env := newAdapterEnv(t, `
apis:
  - name: files
    protocolType: REST
    binaryMediaTypes: [ image/png ]
    resources:
      - path: /file
        methods: [ { httpMethod: GET, integration: { type: NATS, uri: files.get } } ]
      - path: /upload
        methods: [ { httpMethod: POST, integration: { type: NATS, uri: files.up } } ]
    stages: [ { stageName: prod } ]
`)
	env.respond(t, "files.get", func([]byte) []byte {
		return []byte(`{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"aGk=","isBase64Encoded":true}`)
	})
	rec := env.serve(t, http.MethodGet, "http://localhost/prod/file", nil, nil)
	require.Equal(t, "aGk=", rec.Body.String(), "no binary media type matches: the text passes through")
	rec = env.serve(t, http.MethodGet, "http://localhost/prod/file", nil, http.Header{"Accept": {"image/png"}})
	require.Equal(t, "hi", rec.Body.String())

	evs := capture[events.APIGatewayProxyRequest](t, env, "files.up", `{"statusCode":200}`)
	env.serve(t, http.MethodPost, "http://localhost/prod/upload", strings.NewReader("\x89PNG"), http.Header{"Content-Type": {"image/png"}})
	require.True(t, receive(t, evs).IsBase64Encoded)
	env.serve(t, http.MethodPost, "http://localhost/prod/upload", strings.NewReader("plain"), http.Header{"Content-Type": {"text/plain"}})
	ev := receive(t, evs)
	require.False(t, ev.IsBase64Encoded)
	require.Equal(t, "plain", ev.Body)
}
