package engine

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
)

// proxyIntegration is HTTP_PROXY for HTTP and REST APIs: a streaming reverse proxy. The request body
// and the response body stream through without being held; backend connections are pooled by the
// shared transport. Path parameters ({id}, {proxy}) and ${stageVariables.x} are substituted into the
// integration URI; the request's query string is passed on.
type proxyIntegration struct {
	uri       string
	method    string // "" or ANY: the request's method
	transport http.RoundTripper
}

func (p *proxyIntegration) streams() {}

// hopByHop are the connection-level headers a proxy must not forward (RFC 9110 §7.6.1).
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// copyHeaders copies src to dst without hop-by-hop headers and those src's Connection header names.
func copyHeaders(dst, src http.Header) {
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

var proxyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (p *proxyIntegration) serve(ctx context.Context, w http.ResponseWriter, q *httpRequest) {
	target, err := url.Parse(substituteURI(p.uri, q))
	if err != nil {
		e := errProxyFailed
		q.engine.httpError(w, q, e)
		return
	}
	if q.r.URL.RawQuery != "" {
		if target.RawQuery != "" {
			target.RawQuery += "&" + q.r.URL.RawQuery
		} else {
			target.RawQuery = q.r.URL.RawQuery
		}
	}
	method := p.method
	if method == "" || method == "ANY" {
		method = q.r.Method
	}
	var body io.Reader
	if q.r.ContentLength != 0 && q.r.Body != nil && q.r.Body != http.NoBody {
		body = http.MaxBytesReader(w, q.r.Body, MaxHTTPBody)
	}
	out, err := http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		q.engine.httpError(w, q, errProxyFailed)
		return
	}
	out.ContentLength = q.r.ContentLength
	if body == nil {
		out.ContentLength = 0
	}
	copyHeaders(out.Header, q.r.Header)
	if prior := q.r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		out.Header.Set("X-Forwarded-For", strings.Join(prior, ", ")+", "+q.sourceIP)
	} else {
		out.Header.Set("X-Forwarded-For", q.sourceIP)
	}
	if q.r.TLS != nil {
		out.Header.Set("X-Forwarded-Proto", "https")
	} else {
		out.Header.Set("X-Forwarded-Proto", "http")
	}
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = nil // no Go default User-Agent
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		q.engine.httpError(w, q, classifyProxyError(ctx, err))
		return
	}
	defer resp.Body.Close()
	h := w.Header()
	copyHeaders(h, resp.Header)
	w.WriteHeader(resp.StatusCode)
	bp := proxyBufPool.Get().(*[]byte)
	_, err = io.CopyBuffer(w, resp.Body, *bp)
	proxyBufPool.Put(bp)
	if err != nil {
		// The status is out; all that is left is to cut the response short.
		panic(http.ErrAbortHandler)
	}
}

// classifyProxyError maps a backend failure to the gateway's answer: a timeout (504), a body over
// the limit (413), a refused connection (503) or anything else, such as a reset (502).
func classifyProxyError(ctx context.Context, err error) *gatewayError {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return errTimeout
	case errors.As(err, &mbe):
		return errTooLarge
	case errors.Is(err, syscall.ECONNREFUSED):
		return errUnavailable
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errTimeout
	}
	return errProxyFailed
}

// substituteURI replaces {name} and {name+} with the request's path parameters (escaped as path
// segments; a greedy value keeps its slashes) and ${stageVariables.x} with stage variables.
func substituteURI(uri string, q *httpRequest) string {
	if !strings.ContainsAny(uri, "{$") {
		return uri
	}
	var b strings.Builder
	for i := 0; i < len(uri); {
		switch {
		case strings.HasPrefix(uri[i:], "${stageVariables."):
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				return b.String()
			}
			name := uri[i+len("${stageVariables.") : i+end]
			v, _ := q.StageVariable(name)
			b.WriteString(v)
			i += end + 1
		case uri[i] == '{':
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				return b.String()
			}
			name := uri[i+1 : i+end]
			greedy := strings.HasSuffix(name, "+")
			name = strings.TrimSuffix(name, "+")
			v, ok := q.pathParameter(name)
			if !ok {
				b.WriteString(uri[i : i+end+1])
			} else if raw, ok := rawGreedyValue(q); ok && (greedy || name == "proxy") {
				b.WriteString(raw)
			} else if greedy || name == "proxy" {
				b.WriteString(escapePathKeepSlash(v))
			} else {
				b.WriteString(url.PathEscape(v))
			}
			i += end + 1
		default:
			b.WriteByte(uri[i])
			i++
		}
	}
	return b.String()
}

// rawGreedyValue is the greedy path parameter's value as the client escaped it, so that an encoded
// slash (%2F) reaches the backend as sent.
func rawGreedyValue(q *httpRequest) (string, bool) {
	if q.route == nil {
		return "", false
	}
	tmpl := strings.TrimPrefix(q.route.Path, "/")
	segs := strings.Split(tmpl, "/")
	last := segs[len(segs)-1]
	if !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "+}") {
		return "", false
	}
	k := len(segs) - 1
	parts := strings.SplitN(strings.TrimPrefix(q.path, "/"), "/", k+1)
	if len(parts) != k+1 {
		return "", false
	}
	return parts[k], true
}

func escapePathKeepSlash(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

var (
	_ httpServer = (*proxyIntegration)(nil)
	_ streamer   = (*proxyIntegration)(nil)
)
