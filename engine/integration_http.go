package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// HTTPDoer is the part of *http.Client the HTTP integrations use.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// httpIntegration calls an HTTP backend. HTTP_PROXY sends the message as it came (on $connect, the
// handshake's headers and no body); HTTP sends the rendered request template. The backend's status,
// headers and body are the integration response.
type httpIntegration struct {
	url    string
	method string
	proxy  bool
	client HTTPDoer
	params []requestParameter
	route  *Route
}

// Invoke implements Integration.
func (h *httpIntegration) Invoke(ctx context.Context, r *wsRequest) (*Response, error) {
	body := r.body
	if !h.proxy {
		rendered, err := h.route.render(r)
		if err != nil {
			return nil, err
		}
		if rendered != nil || h.route.templates != nil {
			body = rendered
		}
	}
	var rd io.Reader
	if r.eventType == EventMessage {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, h.method, h.url, rd)
	if err != nil {
		return nil, fmt.Errorf("http %s: %w", h.url, err)
	}
	if r.eventType == EventConnect {
		copyHeaders(req.Header, r.conn.Header)
		for _, k := range handshakeOnlyHeaders {
			req.Header.Del(k)
		}
		req.Header.Set("X-Forwarded-For", r.conn.SourceIP)
	}
	if r.eventType == EventMessage && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := applyRequestParameters(req, h.params, r); err != nil {
		return nil, err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		var ue *url.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			return nil, fmt.Errorf("http %s: %w", h.url, ErrTimeout)
		case errors.As(err, &ue):
			return nil, fmt.Errorf("http %s: %w: %v", h.url, ErrUnavailable, ue.Err)
		}
		return nil, fmt.Errorf("http %s: %w", h.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxHTTPBody+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("http %s: %w", h.url, ErrTimeout)
		}
		return nil, fmt.Errorf("http %s: read body: %w", h.url, err)
	}
	if len(data) > MaxHTTPBody {
		return nil, fmt.Errorf("http %s: %w: body over %d bytes", h.url, ErrBadResponse, MaxHTTPBody)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

var _ Integration = (*httpIntegration)(nil)
