package integration

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// httpInvoker calls an HTTP backend with a buffered body and reads its whole answer (up to MaxBody):
// HTTP integrations, and HTTP_PROXY on WebSocket routes.
type httpInvoker struct {
	transport http.RoundTripper
}

// Invoke implements Invoker.
func (h *httpInvoker) Invoke(ctx context.Context, req *Request) (*Response, error) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	out, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, &Error{Kind: Invalid, Backend: req.URL, Err: err}
	}
	if req.Header != nil {
		out.Header = req.Header
	}
	noDefaultUserAgent(out.Header)
	resp, err := h.transport.RoundTrip(out)
	if err != nil {
		return nil, classifyHTTP(ctx, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, classifyHTTP(ctx, req.URL, err)
	}
	if len(data) > MaxBody {
		return nil, Errorf(BadResponse, req.URL, "body over %d bytes", MaxBody)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// proxyInvoker is the streaming reverse proxy of HTTP and REST APIs' HTTP_PROXY: the request body
// streams from the client to the backend and the response body back, on pooled connections.
type proxyInvoker struct {
	transport http.RoundTripper
}

func (p *proxyInvoker) Streams() {}

// Invoke implements Invoker. The caller reads and closes Response.Stream.
func (p *proxyInvoker) Invoke(ctx context.Context, req *Request) (*Response, error) {
	body := req.Stream
	if req.ContentLength == 0 {
		body = nil
	}
	out, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, &Error{Kind: Invalid, Backend: req.URL, Err: err}
	}
	out.ContentLength = req.ContentLength
	if body == nil {
		out.ContentLength = 0
	}
	if req.Header != nil {
		out.Header = req.Header
	}
	noDefaultUserAgent(out.Header)
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		return nil, classifyHTTP(ctx, req.URL, err)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Stream: resp.Body}, nil
}

// noDefaultUserAgent keeps Go's User-Agent off requests whose client sent none.
func noDefaultUserAgent(h http.Header) {
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = nil
	}
}

// classifyHTTP maps an HTTP backend failure to its kind: a timeout, a request body over the limit, a
// refused connection, or anything else (a reset).
func classifyHTTP(ctx context.Context, backend string, err error) *Error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return &Error{Kind: Timeout, Backend: backend, Err: err}
	case errors.As(err, &mbe):
		return &Error{Kind: TooLarge, Backend: backend, Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Kind: Refused, Backend: backend, Err: err}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: Timeout, Backend: backend, Err: err}
	}
	return &Error{Kind: Failed, Backend: backend, Err: err}
}

// hopByHop are the connection-level headers a proxy must not forward (RFC 9110 §7.6.1).
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// CopyHeaders copies src to dst without hop-by-hop headers and those src's Connection header names:
// the one rule for every header that crosses Portico to or from a backend.
func CopyHeaders(dst, src http.Header) {
	var named []string
	for _, v := range src["Connection"] {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				named = append(named, http.CanonicalHeaderKey(f))
			}
		}
	}
outer:
	for k, vs := range src {
		if hopByHop[k] {
			continue
		}
		for _, n := range named {
			if n == k {
				continue outer
			}
		}
		dst[k] = vs
	}
}

func newHTTP(s Spec) (Invoker, error) {
	t := s.Deps.Transport
	if t == nil {
		t = http.DefaultTransport
	}
	if s.Stream {
		return &proxyInvoker{transport: t}, nil
	}
	return &httpInvoker{transport: t}, nil
}

// HTTPProxy is the HTTP_PROXY integration type: the request passes through to an HTTP backend.
var HTTPProxy = &Type{
	Name:      "HTTP_PROXY",
	Payload:   PayloadHTTP,
	Proxy:     true,
	Target:    TargetURL,
	Protocols: []string{ProtocolWebSocket, ProtocolHTTP, ProtocolREST},
	New:       newHTTP,
}

// HTTP is the HTTP integration type: mapping templates shape what an HTTP backend gets.
var HTTP = &Type{
	Name:      "HTTP",
	Payload:   PayloadHTTP,
	Target:    TargetURL,
	Protocols: []string{ProtocolWebSocket, ProtocolREST},
	NotIn:     map[string]string{ProtocolHTTP: "HTTP needs mapping templates, which HTTP APIs do not have; use HTTP_PROXY"},
	New:       newHTTP,
}

var (
	_ Invoker  = (*httpInvoker)(nil)
	_ Invoker  = (*proxyInvoker)(nil)
	_ Streamer = (*proxyInvoker)(nil)
)
