package engine

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/engine/integration"
)

// responseFormat is the Lambda proxy response dialect of an API kind.
type responseFormat uint8

const (
	// formatWebSocket: a reply that is not an object with statusCode or body is the body itself.
	formatWebSocket responseFormat = iota
	// formatV1: payload 1.0 (REST, HTTP APIs with 1.0): statusCode is required.
	formatV1
	// formatV2: payload 2.0: an object with statusCode is a response; any other JSON is the body of a
	// 200 application/json answer; cookies are read.
	formatV2
)

// lambdaResponse is a parsed Lambda proxy response.
type lambdaResponse struct {
	status  int
	header  http.Header
	cookies []string
	body    []byte
	// base64 is isBase64Encoded: body is still encoded until decode.
	base64 bool
}

// parseLambdaResponse reads a Lambda proxy response: {statusCode, headers, multiValueHeaders,
// cookies, body, isBase64Encoded}, in the dialect of format. backend names the integration in errors.
func parseLambdaResponse(data []byte, format responseFormat, backend string) (*lambdaResponse, error) {
	valid := gjson.ValidBytes(data)
	if !valid && format != formatWebSocket {
		return nil, integration.Errorf(integration.BadResponse, backend, "not JSON")
	}
	var root gjson.Result
	if valid {
		root = gjson.ParseBytes(data)
	}
	sc := root.Get("statusCode")
	switch {
	case format == formatWebSocket && (!root.IsObject() || !sc.Exists() && !root.Get("body").Exists()):
		return &lambdaResponse{status: 200, body: data}, nil
	case format == formatV2 && root.Type == gjson.String:
		// A function that returns a JSON string answers with the string itself.
		return &lambdaResponse{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(root.Str)}, nil
	case format == formatV2 && (!root.IsObject() || !sc.Exists()):
		return &lambdaResponse{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: data}, nil
	case format == formatV1 && (!root.IsObject() || !sc.Exists()):
		return nil, integration.Errorf(integration.BadResponse, backend, "no statusCode")
	}
	resp := &lambdaResponse{status: 200}
	if sc.Exists() {
		if sc.Type != gjson.Number || sc.Int() < 100 || sc.Int() > 599 {
			return nil, integration.Errorf(integration.BadResponse, backend, "statusCode %s", sc.Raw)
		}
		resp.status = int(sc.Int())
	}
	h := http.Header{}
	root.Get("headers").ForEach(func(k, v gjson.Result) bool {
		h.Set(k.String(), v.String())
		return true
	})
	// Payload 2.0 has no multiValueHeaders: repeated values are comma-joined in headers.
	mvh := root.Get("multiValueHeaders")
	if format == formatV2 {
		mvh = gjson.Result{}
	}
	mvh.ForEach(func(k, v gjson.Result) bool {
		h.Del(k.String())
		for _, x := range v.Array() {
			h.Add(k.String(), x.String())
		}
		return true
	})
	if len(h) > 0 || format != formatWebSocket {
		resp.header = h
	}
	switch b := root.Get("body"); {
	case !b.Exists() || b.Type == gjson.Null:
	case b.Type == gjson.String:
		resp.body = []byte(b.Str)
	default:
		resp.body = []byte(b.Raw)
	}
	resp.base64 = root.Get("isBase64Encoded").Bool() && len(resp.body) > 0
	if format == formatV2 {
		for _, c := range root.Get("cookies").Array() {
			resp.cookies = append(resp.cookies, c.String())
		}
	}
	return resp, nil
}

// decode decodes a base64 body (isBase64Encoded).
func (l *lambdaResponse) decode(backend string) error {
	if !l.base64 {
		return nil
	}
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(l.body)))
	if err != nil {
		return integration.Errorf(integration.BadResponse, backend, "body is not base64: %v", err)
	}
	l.body, l.base64 = dec, false
	return nil
}

// write sends the response on w.
func (l *lambdaResponse) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range l.header {
		h[k] = v
	}
	for _, c := range l.cookies {
		h.Add("Set-Cookie", c)
	}
	w.WriteHeader(l.status)
	_, _ = w.Write(l.body)
}
