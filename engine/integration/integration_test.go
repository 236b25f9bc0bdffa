package integration

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/natstest"
)

// newServer starts an httptest server on 127.0.0.1 (httptest's default loopback listener).
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newTransport is a transport of the test's own, so no pooled connection outlives it.
func newTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func requireKind(t *testing.T, want Kind, err error) {
	t.Helper()
	require.Error(t, err)
	var ie *Error
	require.True(t, errors.As(err, &ie), "not an *integration.Error: %T %v", err, err)
	require.Equal(t, want, ie.Kind, "%v", err)
	require.Equal(t, want, KindOf(err))
}

func TestHTTPInvokerSendsAndReturns(t *testing.T) {
	type seen struct {
		method, uri, ua, ct, custom, body string
		hasUA                             bool
	}
	got := make(chan seen, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, hasUA := r.Header["User-Agent"]
		got <- seen{r.Method, r.URL.RequestURI(), r.Header.Get("User-Agent"), r.Header.Get("Content-Type"),
			r.Header.Get("X-Custom"), string(b), hasUA}
		w.Header().Set("X-Answer", "42")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("created"))
	})
	inv := &httpInvoker{transport: newTransport(t)}
	resp, err := inv.Invoke(context.Background(), &Request{
		Method: http.MethodPut, URL: srv.URL + "/things/7?x=1",
		Header: http.Header{"Content-Type": {"application/json"}, "X-Custom": {"yes"}},
		Body:   []byte(`{"a":1}`),
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, "created", string(resp.Body))
	require.Nil(t, resp.Stream)
	require.Equal(t, "42", resp.Header.Get("X-Answer"))
	require.Equal(t, []string{"a", "b"}, resp.Header.Values("X-Multi"))
	s := <-got
	require.Equal(t, seen{method: "PUT", uri: "/things/7?x=1", ct: "application/json", custom: "yes", body: `{"a":1}`}, s,
		"no Go User-Agent is added when the client sent none")

	// A client's User-Agent passes; a request without body or header works.
	_, err = inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL + "/ua",
		Header: http.Header{"User-Agent": {"curl/8"}}})
	require.NoError(t, err)
	s = <-got
	require.Equal(t, "curl/8", s.ua)
	require.Equal(t, "GET", s.method)
	require.Empty(t, s.body)

	_, err = inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL + "/nil-header"})
	require.NoError(t, err)
	s = <-got
	require.Equal(t, "/nil-header", s.uri)
	require.False(t, s.hasUA)
}

func TestHTTPInvokerBodyOverMaxBodyIsBadResponse(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for i := 0; i < MaxBody/len(chunk); i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte("!"))
	})
	inv := &httpInvoker{transport: newTransport(t)}
	_, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL})
	requireKind(t, BadResponse, err)
	require.Contains(t, err.Error(), srv.URL)

	// Exactly MaxBody is fine.
	exact := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(make([]byte, MaxBody)) })
	resp, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: exact.URL})
	require.NoError(t, err)
	require.Len(t, resp.Body, MaxBody)
}

func TestHTTPInvokerHangingServerTimesOut(t *testing.T) {
	entered := make(chan struct{}, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-r.Context().Done() // the client gives up
	})
	for _, inv := range []Invoker{&httpInvoker{transport: newTransport(t)}, &proxyInvoker{transport: newTransport(t)}} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err := inv.Invoke(ctx, &Request{Method: http.MethodGet, URL: srv.URL})
		cancel()
		<-entered
		requireKind(t, Timeout, err)
	}
}

func TestHTTPInvokerHeadersTimeoutIsTimeout(t *testing.T) {
	// A transport timeout (a net.Error with Timeout()) is a Timeout even when ctx has no deadline.
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	tr := newTransport(t)
	tr.ResponseHeaderTimeout = 50 * time.Millisecond
	_, err := (&httpInvoker{transport: tr}).Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL})
	requireKind(t, Timeout, err)
}

func TestHTTPInvokerRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	for _, inv := range []Invoker{&httpInvoker{transport: newTransport(t)}, &proxyInvoker{transport: newTransport(t)}} {
		_, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: "http://" + addr + "/x"})
		requireKind(t, Refused, err)
		require.Contains(t, err.Error(), "http://"+addr+"/x")
	}
}

func TestHTTPInvokerResetMidResponseFails(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
		_ = buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not a clean close
		}
		_ = conn.Close()
	})
	inv := &httpInvoker{transport: newTransport(t)}
	_, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL})
	requireKind(t, Failed, err)
}

func TestHTTPInvokerInvalidURL(t *testing.T) {
	inv := &httpInvoker{transport: newTransport(t)}
	_, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: "http://[::1"})
	requireKind(t, Invalid, err)
	_, err = (&proxyInvoker{transport: newTransport(t)}).Invoke(context.Background(), &Request{Method: "BAD METHOD", URL: "http://127.0.0.1/"})
	requireKind(t, Invalid, err)
}

func TestProxyInvokerStreamsResponse(t *testing.T) {
	next := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", "1")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("first\n"))
		_ = http.NewResponseController(w).Flush()
		select {
		case <-next: // sent only once the client has read the first part
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte("second\n"))
	})
	inv := &proxyInvoker{transport: newTransport(t)}
	require.True(t, Streams(inv))
	require.False(t, IsInline(inv))
	resp, err := inv.Invoke(context.Background(), &Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	require.NotNil(t, resp.Stream)
	defer resp.Stream.Close()
	require.Nil(t, resp.Body)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, "1", resp.Header.Get("X-Backend"))
	br := bufio.NewReader(resp.Stream)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "first\n", line, "the first part arrives before the backend has finished")
	close(next)
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	require.Equal(t, "second\n", string(rest))
}

func TestProxyInvokerStreamsRequest(t *testing.T) {
	type seen struct {
		cl        int64
		te        []string
		body, ua  string
		hasUA     bool
		method, x string
	}
	got := make(chan seen, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, hasUA := r.Header["User-Agent"]
		got <- seen{r.ContentLength, r.TransferEncoding, string(b), r.Header.Get("User-Agent"), hasUA, r.Method, r.Header.Get("X-In")}
	})
	inv := &proxyInvoker{transport: newTransport(t)}

	resp, err := inv.Invoke(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL,
		Header: http.Header{"X-In": {"v"}}, Stream: strings.NewReader("hello"), ContentLength: 5})
	require.NoError(t, err)
	require.NoError(t, resp.Stream.Close())
	require.Equal(t, seen{cl: 5, body: "hello", method: "POST", x: "v"}, <-got)

	// Unknown length: chunked.
	resp, err = inv.Invoke(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL,
		Header: http.Header{}, Stream: io.MultiReader(strings.NewReader("a"), strings.NewReader("b")), ContentLength: -1})
	require.NoError(t, err)
	require.NoError(t, resp.Stream.Close())
	s := <-got
	require.Equal(t, int64(-1), s.cl)
	require.Equal(t, []string{"chunked"}, s.te)
	require.Equal(t, "ab", s.body)

	// ContentLength 0: no body is sent, whatever Stream holds.
	resp, err = inv.Invoke(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL,
		Header: http.Header{}, Stream: strings.NewReader("ignored"), ContentLength: 0})
	require.NoError(t, err)
	require.NoError(t, resp.Stream.Close())
	s = <-got
	require.Equal(t, int64(0), s.cl)
	require.Empty(t, s.body)
	require.False(t, s.hasUA)
}

func TestProxyInvokerRequestOverLimitIsTooLarge(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	})
	const limit = 1024
	for _, cl := range []int64{-1, 4 * limit} {
		t.Run(fmt.Sprintf("contentLength=%d", cl), func(t *testing.T) {
			inv := &proxyInvoker{transport: newTransport(t)}
			rec := httptest.NewRecorder()
			body := http.MaxBytesReader(rec, io.NopCloser(strings.NewReader(strings.Repeat("x", 4*limit))), limit)
			resp, err := inv.Invoke(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL,
				Header: http.Header{}, Stream: body, ContentLength: cl})
			if resp != nil && resp.Stream != nil {
				resp.Stream.Close()
			}
			requireKind(t, TooLarge, err)
			var mbe *http.MaxBytesError
			require.True(t, errors.As(err, &mbe), "%v", err)
			require.EqualValues(t, limit, mbe.Limit)
		})
	}
}

func TestNewHTTPPicksInvoker(t *testing.T) {
	inv, err := HTTPProxy.New(Spec{Protocol: ProtocolHTTP, URI: "http://127.0.0.1/", Stream: true})
	require.NoError(t, err)
	require.IsType(t, &proxyInvoker{}, inv)
	require.Equal(t, http.DefaultTransport, inv.(*proxyInvoker).transport)
	inv, err = HTTP.New(Spec{Protocol: ProtocolWebSocket, URI: "http://127.0.0.1/"})
	require.NoError(t, err)
	require.IsType(t, &httpInvoker{}, inv)
	require.False(t, Streams(inv))
	tr := &http.Transport{}
	inv, err = HTTPProxy.New(Spec{Protocol: ProtocolWebSocket, Deps: Deps{Transport: tr}})
	require.NoError(t, err)
	require.Same(t, tr, inv.(*httpInvoker).transport)
}

func startNATS(t *testing.T) *server.Server { return natstest.Start(t) }

func connectNATS(t *testing.T, ns *server.Server) *nats.Conn { return natstest.Connect(t, ns) }

// fakeLink is a LinkState the test drops by hand.
type fakeLink struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	down   atomic.Bool
	bound  atomic.Int32
}

func newFakeLink() *fakeLink {
	l := &fakeLink{}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

func (l *fakeLink) Bind(ctx context.Context) (context.Context, func(), bool) {
	l.bound.Add(1)
	if l.down.Load() {
		return ctx, func() {}, true
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(l.ctx, cancel)
	return ctx, func() { stop(); cancel() }, false
}

func (l *fakeLink) Down() bool { return l.down.Load() }

func (l *fakeLink) drop() {
	l.down.Store(true)
	l.cancel()
}

func TestNATSInvoker(t *testing.T) {
	ns := startNATS(t)
	backend := connectNATS(t, ns)
	nc := connectNATS(t, ns)

	_, err := backend.Subscribe("svc.echo", func(m *nats.Msg) { _ = m.Respond(append([]byte("echo:"), m.Data...)) })
	require.NoError(t, err)
	silent := make(chan struct{}, 4)
	_, err = backend.Subscribe("svc.silent", func(m *nats.Msg) { silent <- struct{}{} })
	require.NoError(t, err)
	_, err = backend.Subscribe("svc.error", func(m *nats.Msg) {
		reply := nats.NewMsg(m.Reply)
		reply.Header.Set("Nats-Service-Error", "boom")
		reply.Header.Set("Nats-Service-Error-Code", "500")
		_ = m.RespondMsg(reply)
	})
	require.NoError(t, err)
	link := newFakeLink()
	_, err = backend.Subscribe("svc.drop", func(m *nats.Msg) { link.drop() }) // the link drops while the request waits
	require.NoError(t, err)
	require.NoError(t, backend.Flush())

	newInv := func(subject string, state LinkState) Invoker {
		inv, err := NATS.New(Spec{Protocol: ProtocolWebSocket, URI: subject, Deps: Deps{NATS: nc, NATSState: state}})
		require.NoError(t, err)
		return inv
	}
	ctx := func(t *testing.T, d time.Duration) context.Context {
		c, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return c
	}

	t.Run("responder answers", func(t *testing.T) {
		state := newFakeLink()
		resp, err := newInv("svc.echo", state).Invoke(ctx(t, 5*time.Second), &Request{Body: []byte(`{"a":1}`)})
		require.NoError(t, err)
		require.Equal(t, 200, resp.StatusCode)
		require.Equal(t, `echo:{"a":1}`, string(resp.Body))
		require.EqualValues(t, 1, state.bound.Load())
	})
	t.Run("nil state", func(t *testing.T) {
		resp, err := newInv("svc.echo", nil).Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		require.NoError(t, err)
		require.Equal(t, "echo:x", string(resp.Body))
	})
	t.Run("no responders", func(t *testing.T) {
		_, err := newInv("svc.nobody", nil).Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		requireKind(t, Unavailable, err)
		require.ErrorIs(t, err, nats.ErrNoResponders)
		require.Contains(t, err.Error(), "svc.nobody")
	})
	t.Run("responder never answers", func(t *testing.T) {
		_, err := newInv("svc.silent", newFakeLink()).Invoke(ctx(t, 100*time.Millisecond), &Request{Body: []byte("x")})
		<-silent
		requireKind(t, Timeout, err)
	})
	t.Run("service error", func(t *testing.T) {
		_, err := newInv("svc.error", nil).Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		requireKind(t, BackendError, err)
		require.Contains(t, err.Error(), "boom")
	})
	t.Run("link drops mid-request", func(t *testing.T) {
		start := time.Now()
		_, err := newInv("svc.drop", link).Invoke(ctx(t, 10*time.Second), &Request{Body: []byte("x")})
		requireKind(t, Unavailable, err)
		require.Less(t, time.Since(start), 5*time.Second, "fails at once, not at the deadline")
	})
	t.Run("link already down", func(t *testing.T) {
		down := newFakeLink()
		down.drop()
		_, err := newInv("svc.echo", down).Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		requireKind(t, Unavailable, err)
	})
	t.Run("nil connection", func(t *testing.T) {
		inv, err := NATS.New(Spec{URI: "svc.echo"})
		require.NoError(t, err)
		_, err = inv.Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		requireKind(t, Unavailable, err)
		_, err = RequestNATS(context.Background(), nil, nil, &nats.Msg{Subject: "svc.echo"})
		requireKind(t, Unavailable, err)
	})
	t.Run("closed connection", func(t *testing.T) {
		closed := connectNATS(t, ns)
		closed.Close()
		inv, err := NATS.New(Spec{URI: "svc.echo", Deps: Deps{NATS: closed}})
		require.NoError(t, err)
		_, err = inv.Invoke(ctx(t, 5*time.Second), &Request{Body: []byte("x")})
		requireKind(t, Unavailable, err)
	})
}

func TestCopyHeaders(t *testing.T) {
	src := http.Header{
		"Connection":          {"x-private, Keep-Alive", " X-Other "},
		"Keep-Alive":          {"timeout=5"},
		"Proxy-Authenticate":  {"Basic"},
		"Proxy-Authorization": {"Basic abc"},
		"Proxy-Connection":    {"keep-alive"},
		"Te":                  {"trailers"},
		"Trailer":             {"X-T"},
		"Transfer-Encoding":   {"chunked"},
		"Upgrade":             {"websocket"},
		"X-Private":           {"secret"},
		"X-Other":             {"secret"},
		"X-Keep":              {"1", "2"},
		"Content-Type":        {"text/plain"},
	}
	dst := http.Header{"X-Existing": {"e"}}
	CopyHeaders(dst, src)
	require.Equal(t, http.Header{"X-Existing": {"e"}, "X-Keep": {"1", "2"}, "Content-Type": {"text/plain"}}, dst)

	dst = http.Header{}
	CopyHeaders(dst, nil)
	require.Empty(t, dst)
}

func TestMockStatus(t *testing.T) {
	cases := []struct {
		in     string
		status int
		ok     bool
	}{
		{`{"statusCode": 403}`, 403, true},
		{`{"statusCode":200,"x":1}`, 200, true},
		{`{"statusCode": 100}`, 100, true},
		{`{"statusCode": 599}`, 599, true},
		{`{"statusCode": 99}`, 0, false},
		{`{"statusCode": 600}`, 0, false},
		{`{"statusCode": "403"}`, 0, false},
		{`{"other": 1}`, 0, false},
		{`not json`, 0, false},
		{``, 0, false},
	}
	for _, tc := range cases {
		status, ok := MockStatus([]byte(tc.in))
		require.Equal(t, tc.ok, ok, tc.in)
		require.Equal(t, tc.status, status, tc.in)
	}
	inv, err := Mock.New(Spec{})
	require.NoError(t, err)
	require.True(t, IsInline(inv))
	require.False(t, Streams(inv))
	resp, err := inv.Invoke(context.Background(), &Request{Body: []byte(`{"statusCode": 403}`)})
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "the adapter reads the status from the template, not the invoker")
	require.Equal(t, `{"statusCode": 403}`, string(resp.Body))
}

func TestRegistry(t *testing.T) {
	for name, want := range map[string]*Type{"MOCK": Mock, "NATS": NATS, "HTTP_PROXY": HTTPProxy, "HTTP": HTTP} {
		got, ok := Lookup(name)
		require.True(t, ok, name)
		require.Same(t, want, got, name)
		require.Equal(t, name, got.Name)
	}
	_, ok := Lookup("AWS_PROXY")
	require.False(t, ok)
	_, ok = Lookup("mock")
	require.False(t, ok, "names are case-sensitive")

	require.Equal(t, "MOCK, NATS, HTTP_PROXY", Names(ProtocolHTTP))
	require.Equal(t, "MOCK, NATS, HTTP_PROXY, HTTP", Names(ProtocolWebSocket))
	require.Equal(t, "MOCK, NATS, HTTP_PROXY, HTTP", Names(ProtocolREST))
	require.Equal(t, "", Names("GRPC"))

	require.EqualError(t, HTTP.Check(ProtocolHTTP), "HTTP needs mapping templates, which HTTP APIs do not have; use HTTP_PROXY")
	require.NoError(t, HTTP.Check(ProtocolWebSocket))
	require.NoError(t, HTTP.Check(ProtocolREST))
	for _, typ := range []*Type{Mock, NATS, HTTPProxy} {
		for _, p := range []string{ProtocolWebSocket, ProtocolHTTP, ProtocolREST} {
			require.NoError(t, typ.Check(p), "%s in %s", typ.Name, p)
		}
	}
	require.EqualError(t, NATS.Check("GRPC"), "integration type NATS is not available in GRPC APIs")

	methods := []struct {
		typ                 *Type
		protocol, routeMeth string
		want                string
	}{
		{HTTP, ProtocolWebSocket, "", "POST"},
		{HTTPProxy, ProtocolWebSocket, "", "POST"},
		{HTTPProxy, ProtocolHTTP, "", "ANY"},
		{HTTPProxy, ProtocolREST, "PUT", "PUT"},
		{HTTP, ProtocolREST, "GET", "GET"},
		{NATS, ProtocolWebSocket, "", ""},
		{NATS, ProtocolREST, "GET", ""},
		{Mock, ProtocolHTTP, "", ""},
	}
	for _, m := range methods {
		require.Equal(t, m.want, m.typ.DefaultMethod(m.protocol, m.routeMeth), "%s %s", m.typ.Name, m.protocol)
	}

	formats := []struct {
		typ      *Type
		protocol string
		want     string
	}{
		{NATS, ProtocolWebSocket, "1.0"},
		{HTTP, ProtocolWebSocket, "1.0"},
		{Mock, ProtocolWebSocket, "1.0"},
		{NATS, ProtocolHTTP, "2.0"},
		{Mock, ProtocolHTTP, "2.0"},
		{HTTPProxy, ProtocolHTTP, "1.0"},
		{NATS, ProtocolREST, ""},
		{HTTPProxy, ProtocolREST, ""},
	}
	for _, f := range formats {
		require.Equal(t, f.want, f.typ.DefaultPayloadFormat(f.protocol), "%s %s", f.typ.Name, f.protocol)
	}

	require.True(t, NATS.Proxy)
	require.True(t, HTTPProxy.Proxy)
	require.False(t, HTTP.Proxy)
	require.Equal(t, PayloadEvent, NATS.Payload)
	require.Equal(t, PayloadTemplate, Mock.Payload)
	require.Equal(t, TargetSubject, NATS.Target)
	require.Equal(t, TargetNone, Mock.Target)
}

func TestRegisterDuplicatePanics(t *testing.T) {
	before := Names(ProtocolWebSocket)
	require.PanicsWithValue(t, "integration: type registered twice: NATS", func() {
		Register(&Type{Name: "NATS", Protocols: []string{ProtocolWebSocket}})
	})
	require.Equal(t, before, Names(ProtocolWebSocket), "a refused type is not listed")
	got, _ := Lookup("NATS")
	require.Same(t, NATS, got)
}

func TestKindOf(t *testing.T) {
	base := &Error{Kind: Refused, Backend: "http://b", Err: errors.New("dial")}
	require.Equal(t, Refused, KindOf(base))
	require.Equal(t, Refused, KindOf(fmt.Errorf("calling: %w", base)))
	require.Equal(t, Refused, KindOf(errors.Join(errors.New("x"), fmt.Errorf("y: %w", base))))
	require.Equal(t, Timeout, KindOf(context.DeadlineExceeded))
	require.Equal(t, Timeout, KindOf(fmt.Errorf("read: %w", context.DeadlineExceeded)))
	require.Equal(t, Failed, KindOf(context.Canceled))
	require.Equal(t, Failed, KindOf(errors.New("other")))
	// An *Error's own kind wins over a deadline it wraps.
	require.Equal(t, Unavailable, KindOf(&Error{Kind: Unavailable, Err: context.DeadlineExceeded}))
	require.ErrorIs(t, base, base.Err)
}

func TestErrorText(t *testing.T) {
	require.Equal(t, "chat.send: timeout: nats: timeout", (&Error{Kind: Timeout, Backend: "chat.send", Err: nats.ErrTimeout}).Error())
	require.Equal(t, "MOCK: invalid request", (&Error{Kind: Invalid, Backend: "MOCK"}).Error())
	e := Errorf(BadResponse, "http://b/x", "status %d", 7)
	require.Equal(t, "http://b/x: bad response: status 7", e.Error())
	require.Equal(t, BadResponse, e.Kind)
	names := map[Kind]string{Failed: "failed", Timeout: "timeout", Unavailable: "unavailable", Refused: "refused",
		BadResponse: "bad response", TooLarge: "too large", BackendError: "backend error", Invalid: "invalid request"}
	for k, want := range names {
		require.Equal(t, want, k.String())
	}
	require.Equal(t, "kind(99)", Kind(99).String())
}
