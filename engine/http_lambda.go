package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/nats-io/nats.go"
	"github.com/tidwall/gjson"
)

// natsHTTPIntegration is AWS_PROXY over NATS for HTTP and REST APIs: the request becomes a Lambda
// proxy event (payload 2.0, or 1.0 for REST APIs and payloadFormatVersion 1.0) sent as a NATS
// request; the reply is the Lambda proxy response.
type natsHTTPIntegration struct {
	subject string
	nc      NATSConn
	state   *NATSState
	v1      bool
}

func (n *natsHTTPIntegration) serve(ctx context.Context, w http.ResponseWriter, q *httpRequest) {
	if n.nc == nil || !n.nc.IsConnected() {
		q.engine.httpError(w, q, errUnavailable)
		return
	}
	ctx, release, down := n.state.Bind(ctx)
	defer release()
	if down {
		q.engine.httpError(w, q, errUnavailable)
		return
	}
	buf := make([]byte, 0, 1024+len(q.body)*4/3)
	if n.v1 {
		buf = appendProxyEventV1(buf, q, q.api.ProtocolType == "HTTP")
	} else {
		buf = appendHTTPEventV2(buf, q)
	}
	reply, err := n.nc.RequestMsgWithContext(ctx, &nats.Msg{Subject: n.subject, Data: buf})
	switch {
	case err == nil:
	case n.state.Down(), errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrConnectionClosed):
		q.engine.httpError(w, q, errUnavailable)
		return
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		q.engine.httpError(w, q, errTimeout)
		return
	default:
		q.engine.httpError(w, q, errLambda)
		return
	}
	if reply.Header.Get("Nats-Service-Error") != "" {
		q.engine.httpError(w, q, errLambda)
		return
	}
	resp, err := parseLambdaHTTPResponse(reply.Data, n.v1)
	if err != nil {
		q.engine.log.Debug("malformed integration response", errField(err))
		if q.api.ProtocolType == "REST" {
			q.engine.httpError(w, q, errBadOutput)
		} else {
			q.engine.httpError(w, q, errLambda)
		}
		return
	}
	resp.write(w)
}

// lambdaResponse is a Lambda proxy response ready to write.
type lambdaResponse struct {
	status  int
	header  http.Header
	cookies []string
	body    []byte
}

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

// parseLambdaHTTPResponse reads a Lambda proxy response. Payload 2.0: an object with statusCode is a
// full response; any other valid JSON is the body of a 200 application/json answer. Payload 1.0:
// statusCode is required.
func parseLambdaHTTPResponse(data []byte, v1 bool) (*lambdaResponse, error) {
	if !gjson.ValidBytes(data) {
		return nil, fmt.Errorf("%w: not JSON", ErrBadResponse)
	}
	root := gjson.ParseBytes(data)
	sc := root.Get("statusCode")
	if !root.IsObject() || !sc.Exists() {
		if v1 {
			return nil, fmt.Errorf("%w: no statusCode", ErrBadResponse)
		}
		return &lambdaResponse{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: data}, nil
	}
	if sc.Type != gjson.Number || sc.Int() < 100 || sc.Int() > 599 {
		return nil, fmt.Errorf("%w: statusCode %s", ErrBadResponse, sc.Raw)
	}
	header, body, err := proxyHeadersAndBody(root)
	if err != nil {
		return nil, err
	}
	resp := &lambdaResponse{status: int(sc.Int()), header: header, body: body}
	if !v1 {
		for _, c := range root.Get("cookies").Array() {
			resp.cookies = append(resp.cookies, c.String())
		}
	}
	return resp, nil
}

var _ httpServer = (*natsHTTPIntegration)(nil)
