package engine

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"
)

// Integration invokes one route's backend. Implementations: MOCK, NATS, HTTP_PROXY and HTTP.
type Integration interface {
	// Invoke runs the integration for one event. ctx carries the integration timeout.
	Invoke(ctx context.Context, r *wsRequest) (*Response, error)
}

// synchronous is implemented by integrations that do no I/O and may run on the caller's goroutine.
type synchronous interface {
	synchronous()
}

// Response is an integration's answer in the Lambda proxy response shape.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Errors an integration returns; the engine maps each to what the client sees.
var (
	// ErrUnavailable means the integration's transport is down (NATS disconnected, backend refused).
	ErrUnavailable = errors.New("integration unavailable")
	// ErrTimeout means the integration did not answer within its timeout.
	ErrTimeout = errors.New("integration timed out")
	// ErrBadResponse means the integration answered with something that is not a valid response.
	ErrBadResponse = errors.New("malformed integration response")
)

// parseProxyResponse reads a Lambda proxy response: {statusCode, headers, multiValueHeaders, body,
// isBase64Encoded}. A reply that is not a JSON object with statusCode or body is taken whole as the
// body with status 200, as API Gateway does for WebSocket routes.
func parseProxyResponse(data []byte) (*Response, error) {
	if !gjson.ValidBytes(data) {
		return &Response{StatusCode: 200, Body: data}, nil
	}
	root := gjson.ParseBytes(data)
	if !root.IsObject() {
		return &Response{StatusCode: 200, Body: data}, nil
	}
	sc := root.Get("statusCode")
	body := root.Get("body")
	if !sc.Exists() && !body.Exists() {
		return &Response{StatusCode: 200, Body: data}, nil
	}
	resp := &Response{StatusCode: 200}
	if sc.Exists() {
		if sc.Type != gjson.Number || sc.Int() < 100 || sc.Int() > 599 {
			return nil, fmt.Errorf("%w: statusCode %s", ErrBadResponse, sc.Raw)
		}
		resp.StatusCode = int(sc.Int())
	}
	header, b, err := proxyHeadersAndBody(root)
	if err != nil {
		return nil, err
	}
	if len(header) > 0 {
		resp.Header = header
	}
	resp.Body = b
	return resp, nil
}

// proxyHeadersAndBody reads the headers, multiValueHeaders, body and isBase64Encoded fields of a
// Lambda proxy response.
func proxyHeadersAndBody(root gjson.Result) (http.Header, []byte, error) {
	h := http.Header{}
	root.Get("headers").ForEach(func(k, v gjson.Result) bool {
		h.Set(k.String(), v.String())
		return true
	})
	root.Get("multiValueHeaders").ForEach(func(k, v gjson.Result) bool {
		h.Del(k.String())
		for _, x := range v.Array() {
			h.Add(k.String(), x.String())
		}
		return true
	})
	var body []byte
	switch b := root.Get("body"); {
	case !b.Exists() || b.Type == gjson.Null:
	case b.Type == gjson.String:
		body = []byte(b.Str)
	default:
		body = []byte(b.Raw)
	}
	if root.Get("isBase64Encoded").Bool() && len(body) > 0 {
		dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(body)))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: body is not base64: %v", ErrBadResponse, err)
		}
		body = dec
	}
	return h, body, nil
}
