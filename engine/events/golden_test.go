package events

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lambda "github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/routeselect"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	require.Equal(t, strings.TrimSuffix(string(want), "\n"), string(got))
}

var (
	connectedAt = time.UnixMilli(1705751697419)
	requestAt   = time.UnixMilli(1705751700453)
)

func wsEvent(eventType string) *WebSocket {
	return &WebSocket{EventType: eventType, RequestID: "R1knPH17NjMFftw=", Time: requestAt,
		ConnectionID: "R1kmxc2VNjMCFIAAAAAAAAAA", ConnectedAt: connectedAt,
		DomainName: "abcdef1234.execute-api.us-east-1.amazonaws.com", SourceIP: "203.0.113.7", UserAgent: "Mozilla/5.0",
		ListenerPort: "443", Proto: "https", Host: "abcdef1234.execute-api.us-east-1.amazonaws.com",
		Stage: "prod", APIID: "abcdef1234", StageVariables: map[string]string{"color": "blue"},
		TraceID: "Root=1-65abb0f4-0123456789abcdef01234567"}
}

func TestWebSocketEventsMatchGoldenFiles(t *testing.T) {
	connect := wsEvent(Connect)
	connect.RouteKey = "$connect"
	connect.Header = http.Header{"Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}, "Sec-Websocket-Version": {"13"},
		"X-Multi": {"a", "b"}, "Connection": {"Upgrade"}, "Upgrade": {"websocket"}}
	connect.Query = url.Values{"token": {"abc"}}
	message := wsEvent(Message)
	message.RouteKey, message.MessageID = "sendmessage", "R1knPc2ntjMCFIA="
	message.Body = []byte(`{"action":"sendmessage","data":"hi"}`)
	disconnect := wsEvent(Disconnect)
	disconnect.RouteKey, disconnect.DisconnectStatusCode, disconnect.DisconnectReason = "$disconnect", 1001, "Going away"
	for name, ev := range map[string]*WebSocket{"websocket_connect.json": connect, "websocket_message.json": message,
		"websocket_disconnect.json": disconnect} {
		t.Run(name, func(t *testing.T) {
			raw := AppendWebSocket(nil, ev)
			golden(t, name, raw)
			var got lambda.APIGatewayWebsocketProxyRequest
			require.NoError(t, json.Unmarshal(raw, &got))
			require.Equal(t, ev.EventType, got.RequestContext.EventType)
			require.Equal(t, ev.RouteKey, got.RequestContext.RouteKey)
			require.Equal(t, ev.ConnectionID, got.RequestContext.ConnectionID)
			require.Equal(t, string(ev.Body), got.Body)
		})
	}
}

func httpEvent(t *testing.T) *HTTP {
	r := httptest.NewRequest(http.MethodPost, "https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/pets/7?limit=2&tag=a&tag=b",
		strings.NewReader(`{"name":"rex"}`))
	r.RemoteAddr = "203.0.113.7:5000"
	r.Header = http.Header{"Content-Type": {"application/json"}, "User-Agent": {"curl/8.5.0"}, "Cookie": {"a=1; b=2"},
		"X-Multi": {"x", "y"}}
	r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 443}))
	return &HTTP{Request: r, Body: []byte(`{"name":"rex"}`), RequestID: "R1knPH17NjMFftw=", Time: requestAt,
		Path: "/pets/7", RawPath: "/prod/pets/7", RouteKey: "POST /pets/{id}", Resource: "/pets/{id}", HasRoute: true,
		PathParameters: []routeselect.Param{{Name: "id", Value: "7"}}, Query: r.URL.Query(), SourceIP: "203.0.113.7",
		APIID: "abcdef1234", Stage: "prod", StageVariables: map[string]string{"color": "blue"},
		TraceID: "Root=1-65abb0f4-0123456789abcdef01234567"}
}

func TestHTTPEventsMatchGoldenFiles(t *testing.T) {
	t.Run("payload 2.0", func(t *testing.T) {
		raw := AppendV2(nil, httpEvent(t))
		golden(t, "http_v2.json", raw)
		var got lambda.APIGatewayV2HTTPRequest
		require.NoError(t, json.Unmarshal(raw, &got))
		require.Equal(t, "2.0", got.Version)
		require.Equal(t, []string{"a=1", "b=2"}, got.Cookies)
		require.Equal(t, "x,y", got.Headers["x-multi"])
		require.Equal(t, "7", got.PathParameters["id"])
		require.Equal(t, `{"name":"rex"}`, got.Body)
	})
	for _, httpAPI := range []bool{false, true} {
		name := map[bool]string{false: "rest_v1.json", true: "http_v1.json"}[httpAPI]
		t.Run(name, func(t *testing.T) {
			ev := httpEvent(t)
			if !httpAPI {
				ev.RouteKey = "POST /pets/{id}"
			}
			raw := AppendV1(nil, ev, httpAPI)
			golden(t, name, raw)
			var got lambda.APIGatewayProxyRequest
			require.NoError(t, json.Unmarshal(raw, &got))
			require.Equal(t, "/pets/{id}", got.Resource)
			require.Equal(t, "/pets/7", got.Path)
			require.Equal(t, []string{"a", "b"}, got.MultiValueQueryStringParameters["tag"])
			require.Equal(t, "prod", got.RequestContext.Stage)
		})
	}
}

func TestBodiesMarkedBinaryAreBase64(t *testing.T) {
	ev := httpEvent(t)
	ev.Request.Header.Set("Content-Type", "image/png")
	ev.Body = []byte{0x89, 'P', 'N', 'G'}
	ev.BodyBase64 = true
	var got lambda.APIGatewayV2HTTPRequest
	require.NoError(t, json.Unmarshal(AppendV2(nil, ev), &got))
	require.True(t, got.IsBase64Encoded)
	require.Equal(t, "iVBORw==", got.Body)
}
