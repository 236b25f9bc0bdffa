package engine

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine/integration"
)

func testConnection() *Connection {
	api := &API{ID: "abcdef1234", Name: "chat", adapter: &webSocketAPI{routes: map[string]*Route{}}}
	st := &Stage{API: api, Name: "prod", Variables: map[string]string{"color": "blue"}}
	return &Connection{
		ID: "AAAAAAAAAAAAAAAAAAAAAAAA", Stage: st, ConnectedAt: time.UnixMilli(1705751697419),
		DomainName: "abcdef1234.execute-api.us-east-1.amazonaws.com", SourceIP: "203.0.113.7", UserAgent: "Mozilla/5.0",
		Header: http.Header{"Sec-Websocket-Key": {"k=="}, "Sec-Websocket-Version": {"13"}, "X-Multi": {"a", "b"}},
		Query:  url.Values{"token": {"abc"}}, ListenerPort: "443", Proto: "https",
		Host: "abcdef1234.execute-api.us-east-1.amazonaws.com",
	}
}

func TestErrorFrameMatchesAPIGatewayBytes(t *testing.T) {
	require.Equal(t,
		`{"message": "Internal server error", "connectionId":"R1kmxc2VNjMCFIA=", "requestId":"R1knPH17NjMFftw="}`,
		string(errorFrame("Internal server error", "R1kmxc2VNjMCFIA=", "R1knPH17NjMFftw=")))
	require.Equal(t,
		`{"message": "Forbidden", "connectionId":"c", "requestId":"r"}`,
		string(errorFrame("Forbidden", "c", "r")))
}

func TestMessageEventMatchesAPIGatewayShape(t *testing.T) {
	c := testConnection()
	r := &wsRequest{conn: c, stage: c.Stage, eventType: EventMessage, routeKey: "sendmessage", requestID: "R1knPH17NjMFftw=",
		messageID: "R1knPc2ntjMCFIA=", body: []byte(`{"action":"sendmessage","data":"hi"}`), time: time.UnixMilli(1705751700453)}
	raw := appendWebSocketEvent(nil, r)
	require.Equal(t, `{"requestContext":{"routeKey":"sendmessage","messageId":"R1knPc2ntjMCFIA=","eventType":"MESSAGE",`+
		`"extendedRequestId":"R1knPH17NjMFftw=","requestTime":"20/Jan/2024:11:55:00 +0000","messageDirection":"IN","stage":"prod",`+
		`"connectedAt":1705751697419,"requestTimeEpoch":1705751700453,"identity":{"userAgent":"Mozilla/5.0","sourceIp":"203.0.113.7"},`+
		`"requestId":"R1knPH17NjMFftw=","domainName":"abcdef1234.execute-api.us-east-1.amazonaws.com","connectionId":"AAAAAAAAAAAAAAAAAAAAAAAA",`+
		`"apiId":"abcdef1234"},"body":"{\"action\":\"sendmessage\",\"data\":\"hi\"}","stageVariables":{"color":"blue"},"isBase64Encoded":false}`,
		string(raw))
	var ev events.APIGatewayWebsocketProxyRequest
	require.NoError(t, json.Unmarshal(raw, &ev))
	require.Equal(t, "R1knPc2ntjMCFIA=", ev.RequestContext.MessageID)
	require.Equal(t, r.body, []byte(ev.Body))
}

func TestConnectEventCarriesHandshake(t *testing.T) {
	c := testConnection()
	r := &wsRequest{conn: c, stage: c.Stage, eventType: EventConnect, routeKey: "$connect", requestID: "R1knPH17NjMFftw=", time: time.UnixMilli(1705751697419)}
	var ev events.APIGatewayWebsocketProxyRequest
	raw := appendWebSocketEvent(nil, r)
	require.NoError(t, json.Unmarshal(raw, &ev), string(raw))
	require.Equal(t, "CONNECT", ev.RequestContext.EventType)
	require.Equal(t, "k==", ev.Headers["Sec-WebSocket-Key"])
	require.Equal(t, "13", ev.Headers["Sec-WebSocket-Version"])
	require.Equal(t, "b", ev.Headers["X-Multi"])
	require.Equal(t, []string{"a", "b"}, ev.MultiValueHeaders["X-Multi"])
	require.Equal(t, "203.0.113.7", ev.Headers["X-Forwarded-For"])
	require.Equal(t, "443", ev.Headers["X-Forwarded-Port"])
	require.Equal(t, "https", ev.Headers["X-Forwarded-Proto"])
	require.Equal(t, c.Host, ev.Headers["Host"])
	require.Equal(t, map[string]string{"token": "abc"}, ev.QueryStringParameters)
	require.Nil(t, ev.RequestContext.MessageID)
	require.Empty(t, ev.Body)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(raw, &generic))
	require.NotContains(t, generic, "body", "CONNECT has no body")
	identity := generic["requestContext"].(map[string]any)["identity"].(map[string]any)
	require.Equal(t, map[string]any{"sourceIp": "203.0.113.7", "userAgent": "Mozilla/5.0"}, identity)
}

func TestDisconnectEventCarriesStatus(t *testing.T) {
	c := testConnection()
	c.ForgetHandshake()
	r := &wsRequest{conn: c, stage: c.Stage, eventType: EventDisconnect, routeKey: "$disconnect", requestID: "x", time: time.Now(), discCode: 1001, discReason: "Going away"}
	var ev events.APIGatewayWebsocketProxyRequest
	require.NoError(t, json.Unmarshal(appendWebSocketEvent(nil, r), &ev))
	require.EqualValues(t, 1001, ev.RequestContext.DisconnectStatusCode)
	require.Equal(t, "Going away", *ev.RequestContext.DisconnectReason)
	require.Equal(t, map[string]string{"Host": c.Host, "x-api-key": "", "X-Forwarded-For": "203.0.113.7", "x-restapi": ""}, ev.Headers)
}

func TestRequestIDsLookLikeAPIGateways(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewRequestID()
		require.Len(t, id, 16)
		require.Equal(t, byte('='), id[15])
		require.False(t, seen[id])
		seen[id] = true
	}
}

func TestParseProxyResponse(t *testing.T) {
	cases := []struct {
		name, in string
		status   int
		body     string
		header   http.Header
		bad      bool
	}{
		{"proxy shape", `{"statusCode":201,"headers":{"X-A":"1"},"body":"hello"}`, 201, "hello", http.Header{"X-A": {"1"}}, false},
		{"multi value headers", `{"statusCode":200,"multiValueHeaders":{"X-B":["1","2"]},"body":""}`, 200, "", http.Header{"X-B": {"1", "2"}}, false},
		{"base64 body", `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", nil, false},
		{"body only", `{"body":"x"}`, 200, "x", nil, false},
		{"non-proxy object is the body", `{"hello":"world"}`, 200, `{"hello":"world"}`, nil, false},
		{"plain text is the body", `just text`, 200, "just text", nil, false},
		{"json body object", `{"statusCode":200,"body":{"a":1}}`, 200, `{"a":1}`, nil, false},
		{"bad status", `{"statusCode":"x"}`, 0, "", nil, true},
		{"bad base64", `{"statusCode":200,"body":"%%%","isBase64Encoded":true}`, 0, "", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := parseLambdaResponse([]byte(tc.in), formatWebSocket, "test")
			if err == nil {
				err = resp.decode("test")
			}
			if tc.bad {
				require.Equal(t, integration.BadResponse, integration.KindOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.status, resp.status)
			require.Equal(t, tc.body, string(resp.body))
			if tc.header != nil {
				require.Equal(t, tc.header, resp.header)
			}
		})
	}
}
