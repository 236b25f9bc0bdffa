package engine

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/natstest"

	"github.com/portico-gateway/portico/engine/config"
)

// The adapter tests run an Engine on a compiled deployment, without a node: HTTP and REST APIs
// through ServeHTTP, WebSocket APIs through Connect, MessageLent and Disconnect. Backends are a real
// NATS server and httptest servers on 127.0.0.1.

func adapterNATS(t *testing.T) *server.Server { return natstest.Start(t) }

func adapterConnect(t *testing.T, ns *server.Server) *nats.Conn { return natstest.Connect(t, ns) }

// adapterEnv is an engine serving one config, and a NATS connection for the test's backends.
type adapterEnv struct {
	e       *Engine
	d       *Deployment
	backend *nats.Conn
}

func newAdapterEnv(t *testing.T, yaml string) *adapterEnv {
	t.Helper()
	ns := adapterNATS(t)
	nc := adapterConnect(t, ns)
	cfg, err := config.Parse("x.yaml", []byte(yaml))
	require.NoError(t, err)
	d, err := Compile(cfg, Deps{NATS: nc, NATSState: NewNATSState(), Transport: http.DefaultTransport})
	require.NoError(t, err)
	env := &adapterEnv{e: New(d, Options{}), d: d, backend: adapterConnect(t, ns)}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, env.e.Wait(ctx), "integration calls still running")
	})
	return env
}

// respond subscribes a backend on subject that answers each request with answer(request data).
func (env *adapterEnv) respond(t *testing.T, subject string, answer func(data []byte) []byte) {
	t.Helper()
	_, err := env.backend.Subscribe(subject, func(m *nats.Msg) { _ = m.Respond(answer(m.Data)) })
	require.NoError(t, err)
	require.NoError(t, env.backend.Flush())
}

// silent subscribes a backend on subject that never answers; each request it gets goes on the
// returned channel.
func (env *adapterEnv) silent(t *testing.T, subject string) <-chan []byte {
	t.Helper()
	got := make(chan []byte, 16)
	_, err := env.backend.Subscribe(subject, func(m *nats.Msg) { got <- m.Data })
	require.NoError(t, err)
	require.NoError(t, env.backend.Flush())
	return got
}

// capture subscribes a backend on subject that decodes each request into a T, sends it on the
// returned channel and answers with reply.
func capture[T any](t *testing.T, env *adapterEnv, subject, reply string) <-chan T {
	t.Helper()
	got := make(chan T, 16)
	env.respond(t, subject, func(data []byte) []byte {
		var ev T
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Errorf("event is not JSON: %v: %s", err, data)
		}
		got <- ev
		return []byte(reply)
	})
	return got
}

// serve runs one request through the engine and returns the recorded answer.
func (env *adapterEnv) serve(t *testing.T, method, target string, body io.Reader, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	env.e.ServeHTTP(rec, req)
	return rec
}

// refusedURL is an http URL nobody listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

// receive waits for one value on ch.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("nothing received within 10s")
		panic("unreachable")
	}
}
