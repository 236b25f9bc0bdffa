package portico_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/internal/testutil"
)

// echoBackend answers every request with its method, path and query.
func echoBackend(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("Access-Control-Allow-Origin", "https://evil.example")
		fmt.Fprintf(w, "%s %s?%s body=%s xff=%s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery, body, r.Header.Get("X-Forwarded-For"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, method, url string, body io.Reader, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func base(n *portico.Node) string { return "http://" + n.Addr().String() }

func TestHTTPAPIRoutePriority(t *testing.T) {
	be := echoBackend(t)
	n := testutil.StartNode(t, testutil.LoadConfig(t, `
apis:
  - name: pets
    protocolType: HTTP
    routes:
      - routeKey: GET /pets/dog/{id}
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+be.URL+`/first/{id}" }
      - routeKey: GET /pets/{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+be.URL+`/second/{proxy}" }
      - routeKey: ANY /{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+be.URL+`/third/{proxy}" }
`))
	cases := []struct{ method, path, want string }{
		{"GET", "/pets/dog/2", "GET /first/2?"},
		{"GET", "/pets/cat/1", "GET /second/cat/1?"},
		{"POST", "/pets/dog/1", "POST /third/pets/dog/1?"},
		{"GET", "/pets/dog/2?a=1&a=2", "GET /first/2?a=1&a=2"},
		{"DELETE", "/x/y%2Fz", "DELETE /third/x/y%2Fz?"},
	}
	for _, tc := range cases {
		resp, body := do(t, tc.method, base(n)+tc.path, nil, nil)
		require.Equal(t, 200, resp.StatusCode, tc.path)
		require.True(t, strings.HasPrefix(body, tc.want), "%s %s: %s", tc.method, tc.path, body)
		require.Contains(t, body, "xff=127.0.0.1")
		require.Equal(t, "yes", resp.Header.Get("X-Backend"))
		require.Len(t, resp.Header.Get("Apigw-Requestid"), 16)
	}
	resp, body := do(t, "GET", base(n)+"/", nil, nil)
	require.Equal(t, 404, resp.StatusCode)
	require.Equal(t, `{"message":"Not Found"}`, body)
}

const lambdaAPI = `
apis:
  - name: items
    protocolType: HTTP
    routes:
      - routeKey: POST /items/{id}
        integration: { integrationType: NATS, integrationUri: items.v2 }
      - routeKey: GET /items/{id}
        integration: { integrationType: NATS, integrationUri: items.v1, payloadFormatVersion: "1.0" }
      - routeKey: GET /plain
        integration: { integrationType: NATS, integrationUri: items.plain }
      - routeKey: GET /hang
        integration: { integrationType: NATS, integrationUri: items.hang, timeoutInMillis: 200 }
    stages:
      - stageName: dev
        stageVariables: { env: dev }
`

func TestHTTPAPILambdaPayloadV2(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, lambdaAPI))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	events2 := make(chan events.APIGatewayV2HTTPRequest, 1)
	_, err := nc.Subscribe("items.v2", func(m *nats.Msg) {
		var ev events.APIGatewayV2HTTPRequest
		require.NoError(t, json.Unmarshal(m.Data, &ev))
		events2 <- ev
		out, _ := json.Marshal(events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: map[string]string{"X-Item": "7"},
			Cookies: []string{"a=1", "b=2; Path=/"}, Body: base64.StdEncoding.EncodeToString([]byte{0, 1, 2}), IsBase64Encoded: true})
		_ = m.Respond(out)
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())

	resp, body := do(t, "POST", base(n)+"/dev/items/7?q=1&q=2&r=x", strings.NewReader(`{"name":"thing"}`),
		http.Header{"Cookie": {"s=abc; t=1"}, "X-Multi": {"a", "b"}, "Content-Type": {"application/json"}})
	require.Equal(t, 201, resp.StatusCode)
	require.Equal(t, "7", resp.Header.Get("X-Item"))
	require.Equal(t, []string{"a=1", "b=2; Path=/"}, resp.Header.Values("Set-Cookie"))
	require.Equal(t, string([]byte{0, 1, 2}), body)

	ev := <-events2
	require.Equal(t, "2.0", ev.Version)
	require.Equal(t, "POST /items/{id}", ev.RouteKey)
	require.Equal(t, "/dev/items/7", ev.RawPath)
	require.Equal(t, "q=1&q=2&r=x", ev.RawQueryString)
	require.Equal(t, []string{"s=abc", "t=1"}, ev.Cookies)
	require.Equal(t, "a,b", ev.Headers["x-multi"])
	require.NotContains(t, ev.Headers, "cookie")
	require.Equal(t, "127.0.0.1", ev.Headers["x-forwarded-for"])
	require.Equal(t, map[string]string{"q": "1,2", "r": "x"}, ev.QueryStringParameters)
	require.Equal(t, map[string]string{"id": "7"}, ev.PathParameters)
	require.Equal(t, map[string]string{"env": "dev"}, ev.StageVariables)
	require.Equal(t, `{"name":"thing"}`, ev.Body)
	require.False(t, ev.IsBase64Encoded)
	rc := ev.RequestContext
	require.Equal(t, "POST", rc.HTTP.Method)
	require.Equal(t, "/dev/items/7", rc.HTTP.Path)
	require.Equal(t, "127.0.0.1", rc.HTTP.SourceIP)
	require.Equal(t, "dev", rc.Stage)
	require.Equal(t, resp.Header.Get("Apigw-Requestid"), rc.RequestID)
	require.Equal(t, "POST /items/{id}", rc.RouteKey)
	require.Len(t, rc.APIID, 10)
}

func TestHTTPAPILambdaPayloadV1AndPlainOutput(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, lambdaAPI))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	got := make(chan map[string]any, 1)
	_, err := nc.Subscribe("items.v1", func(m *nats.Msg) {
		var ev events.APIGatewayProxyRequest
		require.NoError(t, json.Unmarshal(m.Data, &ev))
		var raw map[string]any
		require.NoError(t, json.Unmarshal(m.Data, &raw))
		got <- raw
		out, _ := json.Marshal(events.APIGatewayProxyResponse{StatusCode: 200, Body: "v1 " + ev.PathParameters["id"] + " " + ev.Resource,
			MultiValueHeaders: map[string][]string{"X-Two": {"1", "2"}}})
		_ = m.Respond(out)
	})
	require.NoError(t, err)
	_, err = nc.Subscribe("items.plain", func(m *nats.Msg) { _ = m.Respond([]byte(`{"just":"json"}`)) })
	require.NoError(t, err)
	require.NoError(t, nc.Flush())

	resp, body := do(t, "GET", base(n)+"/dev/items/9", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "v1 9 /items/{id}", body)
	require.Equal(t, []string{"1", "2"}, resp.Header.Values("X-Two"))
	raw := <-got
	require.Equal(t, "1.0", raw["version"])
	require.Equal(t, "/items/9", raw["path"])
	require.Nil(t, raw["queryStringParameters"], "absent maps are null in payload 1.0")
	require.Nil(t, raw["body"])
	require.Equal(t, "/dev/items/9", raw["requestContext"].(map[string]any)["path"])

	resp, body = do(t, "GET", base(n)+"/dev/plain", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	require.Equal(t, `{"just":"json"}`, body)
}

func TestHTTPAPIBadInput(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, lambdaAPI))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	_, err := nc.Subscribe("items.hang", func(*nats.Msg) {}) // never answers
	require.NoError(t, err)
	require.NoError(t, nc.Flush())

	resp, body := do(t, "GET", base(n)+"/dev/nothing/here", nil, nil)
	require.Equal(t, 404, resp.StatusCode)
	require.Equal(t, `{"message":"Not Found"}`, body)
	resp, body = do(t, "GET", base(n)+"/prod/items/1", nil, nil)
	require.Equal(t, 404, resp.StatusCode, "no such stage")
	require.Equal(t, `{"message":"Not Found"}`, body)

	resp, body = do(t, "GET", base(n)+"/dev/hang", nil, nil)
	require.Equal(t, 504, resp.StatusCode)
	require.Equal(t, `{"message":"Gateway Timeout"}`, body)

	resp, body = do(t, "POST", base(n)+"/dev/items/1", bytes.NewReader(make([]byte, 10<<20+1)), nil)
	require.Equal(t, 413, resp.StatusCode)
	require.Equal(t, `{"message":"Request Entity Too Large"}`, body)

	// No subscriber: the integration is unavailable.
	resp, body = do(t, "POST", base(n)+"/dev/items/1", strings.NewReader("{}"), nil)
	require.Equal(t, 503, resp.StatusCode)
	require.Equal(t, `{"message":"Service Unavailable"}`, body)

	// Malformed percent-encoding and header floods are refused before routing.
	conn, err := net.Dial("tcp", n.Addr().String())
	require.NoError(t, err)
	fmt.Fprintf(conn, "GET /dev/items/%%zz HTTP/1.1\r\nHost: x\r\n\r\n")
	line := make([]byte, 12)
	_, err = io.ReadFull(conn, line)
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 400", string(line))
	conn.Close()
	resp, _ = do(t, "GET", base(n)+"/dev/items/1", nil, http.Header{"X-Flood": {strings.Repeat("a", 64<<10)}})
	require.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
}

func TestHTTPProxyBackendFailuresAndNoLeaks(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		conn.Close()
	}))
	t.Cleanup(reset.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := ln.Addr().String()
	ln.Close()

	n := testutil.StartNode(t, testutil.LoadConfig(t, `
apis:
  - name: flaky
    protocolType: HTTP
    routes:
      - routeKey: GET /slow
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+slow.URL+`", timeoutInMillis: 200 }
      - routeKey: GET /reset
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+reset.URL+`" }
      - routeKey: GET /refused
        integration: { integrationType: HTTP_PROXY, integrationUri: "http://`+refused+`/" }
`))
	runtime.GC()
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		resp, body := do(t, "GET", base(n)+"/slow", nil, nil)
		require.Equal(t, 504, resp.StatusCode)
		require.Equal(t, `{"message":"Gateway Timeout"}`, body)
		resp, body = do(t, "GET", base(n)+"/reset", nil, nil)
		require.Equal(t, 502, resp.StatusCode)
		require.Equal(t, `{"message":"Internal Server Error"}`, body)
		resp, body = do(t, "GET", base(n)+"/refused", nil, nil)
		require.Equal(t, 503, resp.StatusCode)
		require.Equal(t, `{"message":"Service Unavailable"}`, body)
	}
	http.DefaultClient.CloseIdleConnections()
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		if now := runtime.NumGoroutine(); now > before+5 {
			return fmt.Errorf("goroutines grew from %d to %d", before, now)
		}
		return nil
	})
}

func TestHTTPAPICORS(t *testing.T) {
	be := echoBackend(t)
	n := testutil.StartNode(t, testutil.LoadConfig(t, `
apis:
  - name: cors
    protocolType: HTTP
    corsConfiguration:
      allowOrigins: [ "https://app.example" ]
      allowMethods: [ GET, POST ]
      allowHeaders: [ content-type, x-token ]
      exposeHeaders: [ x-backend ]
      maxAge: 600
    routes:
      - routeKey: ANY /{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "`+be.URL+`/{proxy}" }
`))
	resp, body := do(t, "OPTIONS", base(n)+"/things", nil, http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"POST"}})
	require.Equal(t, 204, resp.StatusCode)
	require.Empty(t, body, "the integration did not run")
	require.Equal(t, "https://app.example", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Equal(t, "GET,POST", resp.Header.Get("Access-Control-Allow-Methods"))
	require.Equal(t, "content-type,x-token", resp.Header.Get("Access-Control-Allow-Headers"))
	require.Equal(t, "600", resp.Header.Get("Access-Control-Max-Age"))

	resp, _ = do(t, "GET", base(n)+"/things", nil, http.Header{"Origin": {"https://app.example"}})
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "https://app.example", resp.Header.Get("Access-Control-Allow-Origin"), "the backend's CORS header is replaced")
	require.Equal(t, "x-backend", resp.Header.Get("Access-Control-Expose-Headers"))

	resp, _ = do(t, "GET", base(n)+"/things", nil, http.Header{"Origin": {"https://other.example"}})
	require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

const petstore = `
apis:
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
                  responseParameters: { method.response.header.X-Count: "'2'" }
      - path: /pets/{petId}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.path.petId: true, method.request.querystring.verbose: true }
            requestValidator: { validateRequestParameters: true }
            integration: { type: NATS, uri: petstore.getpet }
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
    gatewayResponses:
      - responseType: DEFAULT_5XX
        responseParameters: { gatewayresponse.header.X-Err: "'five'" }
    stages:
      - stageName: prod
        variables: { color: blue }
`

func TestRESTAPIPetstore(t *testing.T) {
	n := testutil.StartNode(t, testutil.LoadConfig(t, petstore))
	nc := testutil.ConnectNATS(t, n.NATSURL())
	evs := make(chan events.APIGatewayProxyRequest, 1)
	sub, err := nc.Subscribe("petstore.getpet", func(m *nats.Msg) {
		var ev events.APIGatewayProxyRequest
		require.NoError(t, json.Unmarshal(m.Data, &ev))
		evs <- ev
		_ = m.Respond([]byte(`{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"id\":7}"}`))
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())

	resp, body := do(t, "GET", base(n)+"/prod/pets", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, `[{"id": 1}, {"id": 2}]`, body)
	require.Equal(t, "2", resp.Header.Get("X-Count"))
	require.NotEmpty(t, resp.Header.Get("X-Amzn-Requestid"))

	resp, body = do(t, "GET", base(n)+"/prod/teapot", nil, nil)
	require.Equal(t, 418, resp.StatusCode)
	require.Equal(t, `{"tea":"prod"}`, body)

	resp, body = do(t, "GET", base(n)+"/prod/pets/7?verbose=1", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, `{"id":7}`, body)
	ev := <-evs
	require.Equal(t, "/pets/{petId}", ev.Resource)
	require.Equal(t, "/pets/7", ev.Path)
	require.Equal(t, "GET", ev.HTTPMethod)
	require.Equal(t, map[string]string{"petId": "7"}, ev.PathParameters)
	require.Equal(t, map[string]string{"color": "blue"}, ev.StageVariables)
	require.Equal(t, "/prod/pets/7", ev.RequestContext.Path)
	require.Equal(t, "/pets/{petId}", ev.RequestContext.ResourcePath)
	require.Equal(t, "prod", ev.RequestContext.Stage)
	require.Equal(t, "127.0.0.1", ev.RequestContext.Identity.SourceIP)
	require.Equal(t, resp.Header.Get("X-Amzn-Requestid"), ev.RequestContext.RequestID, "REST's requestId is the x-amzn-RequestId")
	require.Equal(t, resp.Header.Get("X-Amz-Apigw-Id"), ev.RequestContext.ExtendedRequestID)

	resp, body = do(t, "GET", base(n)+"/prod/pets/7", nil, nil)
	require.Equal(t, 400, resp.StatusCode)
	require.Equal(t, `{"message": "Missing required request parameters: [verbose]"}`, body)

	for _, tc := range []struct{ method, path string }{{"GET", "/prod/nothing"}, {"POST", "/prod/pets"}, {"GET", "/dev/pets"}, {"GET", "/"}} {
		resp, body = do(t, tc.method, base(n)+tc.path, nil, nil)
		require.Equal(t, 403, resp.StatusCode, tc.path)
		require.Equal(t, `{"message":"Missing Authentication Token"}`, body, tc.path)
		require.Equal(t, "MissingAuthenticationTokenException", resp.Header.Get("X-Amzn-Errortype"))
	}

	// The backend goes away: no responders.
	require.NoError(t, sub.Unsubscribe())
	require.NoError(t, nc.Flush())
	resp, body = do(t, "GET", base(n)+"/prod/pets/7?verbose=1", nil, nil)
	require.Equal(t, 504, resp.StatusCode)
	require.Equal(t, "five", resp.Header.Get("X-Err"), "DEFAULT_5XX customisation applies")
	require.Equal(t, `{"message": "Internal server error"}`, body)
}

func TestHTTPAPIMockAndReload(t *testing.T) {
	cfgText := func(answer string) string {
		return `
apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /version
        integration: { integrationType: MOCK, templates: { $default: '{"version":"` + answer + `","stage":"$context.stage"}' } }
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`
	}
	cfg := testutil.LoadConfig(t, cfgText("v1"))
	cfg.DefaultAPI = "site"
	n := testutil.StartNode(t, cfg)
	resp, body := do(t, "GET", base(n)+"/version", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, `{"version":"v1","stage":"$default"}`, body)

	// A WebSocket client of the other API, addressed by its id in Host.
	wsID := cfg.APIs[1].ID()
	c := dial(t, "ws://"+n.Addr().String()+"/prod", &websocket.DialOptions{Host: wsID + ".localhost"})
	send(t, c, "before reload")
	require.Equal(t, "before reload", read(t, c))

	next := testutil.LoadConfig(t, cfgText("v2"))
	next.DefaultAPI = "site"
	_, err := n.Reload(next)
	require.NoError(t, err)
	resp, body = do(t, "GET", base(n)+"/version", nil, nil)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, `{"version":"v2","stage":"$default"}`, body)
	send(t, c, "after reload")
	require.Equal(t, "after reload", read(t, c), "WebSocket connections stay up across a reload")

	bad := testutil.LoadConfig(t, cfgText("v3"))
	bad.APIs[0].Routes[0].Integration.Templates["$default"] = "#if($x) never closed"
	_, err = n.Reload(bad)
	require.Error(t, err)
	_, body = do(t, "GET", base(n)+"/version", nil, nil)
	require.Equal(t, `{"version":"v2","stage":"$default"}`, body, "a bad config keeps the running deployment")
}
