package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gobwas/ws"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/portico-gateway/portico/transport"
)

// baselineConnMetric is the baseline's gauge of open connections, Portico's is portico_connections.
const baselineConnMetric = "bench_baseline_connections"

// baseline is the bare echo server Portico is measured against: the same transport (gobwas/ws and
// the readiness poller) with no actors and no engine. Its admin listener exposes /readyz and
// /metrics the way Portico's does, so both are observed alike.
type baseline struct {
	srv    *transport.Server
	admin  *http.Server
	bridge *bridge
	done   chan error
}

// baselineConfig selects what the baseline does besides echoing. The zero value is the bare echo
// server of the idle and echo scenarios.
type baselineConfig struct {
	// fanout tracks the open connections and serves POST /fanout on the admin listener.
	fanout bool
	// natsURL, when set, makes the baseline a bridge: every message becomes one NATS request and
	// the reply's body is written back, instead of the message itself.
	natsURL string
}

// startBaseline serves echo (or the bridge) on ln and metrics on adminLn until Close.
func startBaseline(ln, adminLn net.Listener, cfg baselineConfig) (*baseline, error) {
	b := &baseline{done: make(chan error, 2)}
	var h transport.WebSocketHandler = echoHandler{}
	var set *connSet
	switch {
	case cfg.natsURL != "":
		br, err := newBridge(cfg.natsURL)
		if err != nil {
			return nil, err
		}
		b.bridge, h = br, br
	case cfg.fanout:
		set = &connSet{conns: make(map[*transport.Conn]struct{})}
		h = fanoutHandler{set}
	}
	srv, err := transport.New(transport.Config{}, h, http.NotFoundHandler())
	if err != nil {
		if b.bridge != nil {
			b.bridge.close()
		}
		return nil, fmt.Errorf("baseline transport: %w", err)
	}
	b.srv = srv
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: baselineConnMetric,
		Help: "WebSocket connections open on the baseline."}, func() float64 { return float64(srv.Connections()) }))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"status":"ready"}`)) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if set != nil {
		mux.HandleFunc("POST /fanout", set.serveFanout)
	}
	b.admin = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { b.done <- srv.Serve(ln) }()
	go func() { b.done <- b.admin.Serve(adminLn) }()
	return b, nil
}

// Close stops both listeners and waits for them.
func (b *baseline) Close() error {
	errs := []error{b.srv.Close(), b.admin.Close()}
	if b.bridge != nil {
		b.bridge.close()
	}
	for range 2 {
		if err := <-b.done; err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// serveBaselineUntilSignal is the -serve-baseline mode: it runs the baseline until SIGTERM or SIGINT.
func serveBaselineUntilSignal(listen, admin string, cfg baselineConfig) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("baseline listen: %w", err)
	}
	adminLn, err := net.Listen("tcp", admin)
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("baseline admin listen: %w", err)
	}
	b, err := startBaseline(ln, adminLn, cfg)
	if err != nil {
		_ = ln.Close()
		_ = adminLn.Close()
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	<-ctx.Done()
	if err := b.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline close:", err)
	}
	return nil
}

// echoHandler accepts every upgrade and writes every message back.
type echoHandler struct{}

func (echoHandler) Handshake(*http.Request) transport.Decision {
	return transport.Decision{Status: http.StatusSwitchingProtocols, OnUpgraded: func(c *transport.Conn) transport.ConnHandler {
		return echoConn{c}
	}}
}

// echoConn echoes one connection's messages.
type echoConn struct{ c *transport.Conn }

func (e echoConn) OnMessage(op ws.OpCode, p []byte) {
	if op == ws.OpBinary {
		_ = e.c.WriteBinary(p)
		return
	}
	_ = e.c.WriteText(p)
}

func (echoConn) OnClose(ws.StatusCode, string) {}

var (
	_ transport.WebSocketHandler = echoHandler{}
	_ transport.ConnHandler      = echoConn{}
)
