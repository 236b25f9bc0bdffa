package engine

import (
	"encoding/base64"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"
)

func itoa64(v int64) string { return strconv.FormatInt(v, 10) }

// isBinaryBody reports whether a request body goes to integrations base64-encoded: bodies that are
// not valid UTF-8, and media types that are not text.
func isBinaryBody(contentType string, body []byte) bool {
	if len(body) == 0 {
		return false
	}
	if !utf8.Valid(body) {
		return true
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "json"), strings.HasSuffix(mt, "xml"),
		mt == "application/javascript", mt == "application/x-www-form-urlencoded", mt == "application/graphql":
		return false
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"),
		mt == "application/octet-stream", mt == "application/pdf", mt == "application/zip", mt == "application/gzip":
		return true
	}
	return false
}

func appendBody(dst []byte, q *httpRequest, nullWhenEmpty bool) []byte {
	binary := isBinaryBody(q.r.Header.Get("Content-Type"), q.body)
	switch {
	case len(q.body) == 0 && nullWhenEmpty:
		dst = append(dst, `"body":null`...)
	case binary:
		dst = appendKey(dst, "body")
		dst = appendJSONString(dst, base64.StdEncoding.EncodeToString(q.body))
	default:
		dst = appendKey(dst, "body")
		dst = appendJSONBytes(dst, q.body)
	}
	if binary {
		return append(dst, `,"isBase64Encoded":true}`...)
	}
	return append(dst, `,"isBase64Encoded":false}`...)
}

// forwardedHeaders are the headers API Gateway adds to what integrations see.
func forwardedHeaders(q *httpRequest) map[string][]string {
	h := make(map[string][]string, len(q.r.Header)+5)
	for k, v := range q.r.Header {
		h[k] = v
	}
	h["Host"] = []string{q.r.Host}
	xff := q.sourceIP
	if prior := q.r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + q.sourceIP
	}
	h["X-Forwarded-For"] = []string{xff}
	proto, port := "http", "80"
	if q.r.TLS != nil {
		proto, port = "https", "443"
	}
	if la := localPort(q.r); la != "" {
		port = la
	}
	h["X-Forwarded-Port"] = []string{port}
	h["X-Forwarded-Proto"] = []string{proto}
	if _, ok := h["X-Amzn-Trace-Id"]; !ok {
		h["X-Amzn-Trace-Id"] = []string{traceID(q.time)}
	}
	return h
}

// appendHTTPEventV2 appends the payload format 2.0 event of an HTTP API request
// (events.APIGatewayV2HTTPRequest): lower-case header names, repeated values joined with commas,
// cookies apart, empty maps and bodies omitted.
func appendHTTPEventV2(dst []byte, q *httpRequest) []byte {
	h := forwardedHeaders(q)
	cookies := q.r.Header.Values("Cookie")
	delete(h, "Cookie")
	lower := make(map[string]string, len(h))
	for k, v := range h {
		lk := strings.ToLower(k)
		if prev, ok := lower[lk]; ok {
			lower[lk] = prev + "," + strings.Join(v, ",")
		} else {
			lower[lk] = strings.Join(v, ",")
		}
	}
	dst = append(dst, `{"version":"2.0",`...)
	dst = appendStringField(dst, "routeKey", q.routeKey)
	dst = append(dst, ',')
	dst = appendStringField(dst, "rawPath", q.rawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "rawQueryString", q.r.URL.RawQuery)
	if len(cookies) > 0 {
		dst = append(dst, `,"cookies":[`...)
		n := 0
		for _, line := range cookies {
			for _, c := range strings.Split(line, ";") {
				c = strings.TrimSpace(c)
				if c == "" {
					continue
				}
				if n > 0 {
					dst = append(dst, ',')
				}
				dst = appendJSONString(dst, c)
				n++
			}
		}
		dst = append(dst, ']')
	}
	dst = append(dst, ',')
	dst = appendKey(dst, "headers")
	dst = appendStringMap(dst, sortedKeys(lower), func(k string) string { return lower[k] })
	if q.r.URL.RawQuery != "" {
		qs := q.queryValues()
		if len(qs) > 0 {
			dst = append(dst, ',')
			dst = appendKey(dst, "queryStringParameters")
			dst = appendStringMap(dst, sortedKeys(qs), func(k string) string { return strings.Join(qs[k], ",") })
		}
	}
	if len(q.params) > 0 {
		dst = appendPathParameters(dst, q)
	}
	dst = append(dst, `,"requestContext":{`...)
	dst = appendAPIContext(dst, q)
	dst = append(dst, `,"http":{`...)
	dst = appendStringField(dst, "method", q.r.Method)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.rawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "protocol", q.r.Proto)
	dst = append(dst, ',')
	dst = appendStringField(dst, "sourceIp", q.sourceIP)
	dst = append(dst, ',')
	dst = appendStringField(dst, "userAgent", q.r.UserAgent())
	dst = append(dst, "},"...)
	dst = appendStringField(dst, "requestId", q.requestID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "routeKey", q.routeKey)
	dst = append(dst, ',')
	dst = appendStringField(dst, "stage", q.stage.Name)
	dst = append(dst, `,"time":"`...)
	dst = appendRequestTime(dst, q.time)
	dst = append(dst, `",`...)
	dst = appendIntField(dst, "timeEpoch", q.time.UnixMilli())
	dst = append(dst, '}')
	if len(q.stage.Variables) > 0 {
		dst = appendStageVariables(dst, q.stage)
	}
	dst = append(dst, ',')
	if len(q.body) == 0 {
		return append(dst, `"isBase64Encoded":false}`...)
	}
	return appendBody(dst, q, false)
}

// appendProxyEventV1 appends the payload format 1.0 event (events.APIGatewayProxyRequest), as REST
// APIs send it and HTTP APIs with payloadFormatVersion 1.0 (which add "version":"1.0"): header keys as
// received, single-value maps holding the last value, absent maps null.
func appendProxyEventV1(dst []byte, q *httpRequest, httpAPI bool) []byte {
	dst = append(dst, '{')
	if httpAPI {
		dst = append(dst, `"version":"1.0",`...)
	}
	resource := q.routeKey
	resourcePath := q.routeKey
	if q.route != nil {
		resource, resourcePath = q.route.Path, q.route.Path
	}
	dst = appendStringField(dst, "resource", resource)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.path)
	dst = append(dst, ',')
	dst = appendStringField(dst, "httpMethod", q.r.Method)
	h := forwardedHeaders(q)
	keys := sortedKeys(h)
	dst = append(dst, ',')
	dst = appendKey(dst, "headers")
	dst = appendStringMap(dst, keys, func(k string) string { v := h[k]; return v[len(v)-1] })
	dst = append(dst, ',')
	dst = appendKey(dst, "multiValueHeaders")
	dst = appendMultiMap(dst, keys, func(k string) []string { return h[k] })
	qs := q.queryValues()
	if len(qs) > 0 {
		qk := sortedKeys(qs)
		dst = append(dst, ',')
		dst = appendKey(dst, "queryStringParameters")
		dst = appendStringMap(dst, qk, func(k string) string { v := qs[k]; return v[len(v)-1] })
		dst = append(dst, ',')
		dst = appendKey(dst, "multiValueQueryStringParameters")
		dst = appendMultiMap(dst, qk, func(k string) []string { return qs[k] })
	} else {
		dst = append(dst, `,"queryStringParameters":null,"multiValueQueryStringParameters":null`...)
	}
	if len(q.params) > 0 {
		dst = appendPathParameters(dst, q)
	} else {
		dst = append(dst, `,"pathParameters":null`...)
	}
	if len(q.stage.Variables) > 0 {
		dst = appendStageVariables(dst, q.stage)
	} else {
		dst = append(dst, `,"stageVariables":null`...)
	}
	dst = append(dst, `,"requestContext":{`...)
	dst = appendAPIContext(dst, q)
	dst = append(dst, ',')
	dst = appendStringField(dst, "extendedRequestId", q.requestID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "httpMethod", q.r.Method)
	dst = append(dst, ',')
	dst = appendStringField(dst, "path", q.rawPath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "protocol", q.r.Proto)
	dst = append(dst, ',')
	dst = appendStringField(dst, "requestId", q.requestID)
	dst = append(dst, `,"requestTime":"`...)
	dst = appendRequestTime(dst, q.time)
	dst = append(dst, `",`...)
	dst = appendIntField(dst, "requestTimeEpoch", q.time.UnixMilli())
	dst = append(dst, ',')
	dst = appendStringField(dst, "resourceId", resourceID(resourcePath))
	dst = append(dst, ',')
	dst = appendStringField(dst, "resourcePath", resourcePath)
	dst = append(dst, ',')
	dst = appendStringField(dst, "stage", q.stage.Name)
	dst = append(dst, `,"identity":{"cognitoIdentityPoolId":null,"accountId":null,"cognitoIdentityId":null,"caller":null,`+
		`"apiKey":null,"apiKeyId":null,"accessKey":null,`...)
	dst = appendStringField(dst, "sourceIp", q.sourceIP)
	dst = append(dst, `,"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,`...)
	dst = appendStringField(dst, "userAgent", q.r.UserAgent())
	dst = append(dst, `,"user":null}},`...)
	return appendBody(dst, q, true)
}

// resourceID is a stable 6-character id of a resource path, as REST APIs give each resource.
func resourceID(path string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(path); i++ {
		h = (h ^ uint32(path[i])) * 16777619
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[h%36]
		h /= 36
	}
	return string(b)
}

func appendPathParameters(dst []byte, q *httpRequest) []byte {
	dst = append(dst, `,"pathParameters":{`...)
	for i, p := range q.params {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendStringField(dst, p.Name, p.Value)
	}
	return append(dst, '}')
}

func appendStageVariables(dst []byte, st *Stage) []byte {
	dst = append(dst, ',')
	dst = appendKey(dst, "stageVariables")
	return appendStringMap(dst, sortedKeys(st.Variables), func(k string) string { return st.Variables[k] })
}

// appendAPIContext appends the requestContext fields both payload formats open with.
func appendAPIContext(dst []byte, q *httpRequest) []byte {
	dst = appendStringField(dst, "accountId", accountID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "apiId", q.api.ID)
	dst = append(dst, ',')
	dst = appendStringField(dst, "domainName", q.r.Host)
	dst = append(dst, ',')
	return appendStringField(dst, "domainPrefix", domainPrefix(q.r.Host))
}
