package integration

import (
	"context"
	"io"
	"net/http"
)

// Invoker reaches one route's backend. Implementations are safe for concurrent use.
type Invoker interface {
	// Invoke sends req and returns the backend's answer. ctx carries the integration timeout.
	// A failure is an *Error whose Kind tells the adapter what to answer.
	Invoke(ctx context.Context, req *Request) (*Response, error)
}

// Inline is implemented by invokers that do no I/O (MOCK): they may run on the caller's goroutine and
// need no deadline.
type Inline interface {
	Inline()
}

// Streamer is implemented by invokers that read Request.Stream and answer with Response.Stream, so
// neither body is held in memory (the HTTP proxy of HTTP and REST APIs).
type Streamer interface {
	Streams()
}

// IsInline reports whether inv does no I/O.
func IsInline(inv Invoker) bool { _, ok := inv.(Inline); return ok }

// Streams reports whether inv streams bodies.
func Streams(inv Invoker) bool { _, ok := inv.(Streamer); return ok }

// Request is what an adapter hands an invoker.
type Request struct {
	// Method and URL address an HTTP backend; the adapter has substituted parameters and stage
	// variables into URL already.
	Method string
	URL    string
	// Header is sent to an HTTP backend (hop-by-hop headers already removed, see CopyHeaders).
	Header http.Header
	// Body is the payload: the Lambda proxy event (NATS), the request body or rendered template (HTTP,
	// HTTP_PROXY), the rendered template (MOCK). The invoker does not keep it after Invoke returns.
	Body []byte
	// Stream, for a Streamer, is the request body read as it arrives; ContentLength is its length
	// (-1: unknown, 0: no body).
	Stream        io.Reader
	ContentLength int64
}

// Response is a backend's answer.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the whole answer, unless Stream is set.
	Body []byte
	// Stream is a Streamer's response body; the caller reads and closes it.
	Stream io.ReadCloser
}

// MaxBody is the largest body an HTTP backend may answer with when it is buffered (API Gateway's
// 10 MB payload limit); a larger answer is a BadResponse.
const MaxBody = 10 << 20
