package portico

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico/actors"
	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/transport"
)

// Node is one running Portico node.
type Node struct {
	cfg  *config.Config
	log  *zap.Logger
	tag  connid.NodeTag
	deps engine.Deps

	natsServer  *server.Server
	natsCleanup func()
	nc          *nats.Conn

	engine     *engine.Engine
	actors     *actors.System
	callbacks  *callbacks.Service
	membership *callbacks.Membership
	client     *transport.Server
	admin      *http.Server

	clientLn net.Listener
	adminLn  net.Listener
	ready    atomic.Bool
	// adminAccess is what the admin listener's /debug/pprof/ serves and to whom; Reload swaps it.
	adminAccess atomic.Pointer[adminAccess]
	// lastPort is the client listener port's text, shared by the connections' ListenerPort.
	lastPort atomic.Pointer[portText]
	serving  sync.WaitGroup

	shutdownOnce sync.Once
	shutdownErr  error

	// reloadMu serialises Reload; running is the config in force (must hold reloadMu).
	reloadMu sync.Mutex
	running  *config.Config
}

// New builds and starts a node from a loaded config: NATS (embedded unless cfg.Node.NATS names a
// server), the deployment, the actor system and both listeners. It returns once the node serves.
func New(cfg *config.Config, log *zap.Logger) (_ *Node, err error) {
	if log == nil {
		log = zap.NewNop()
	}
	n := &Node{cfg: cfg, log: log, running: cfg}
	// n, not the result: every failing return sets the result to nil.
	defer func() {
		if err != nil {
			n.closeAll()
		}
	}()
	nodeID := cfg.Node.NodeID
	if nodeID == "" {
		nodeID = "node-" + engine.NewRequestID()[:10]
	}
	n.tag = connid.TagOf(nodeID)

	// The listeners come first: an address in use fails the start before anything else runs.
	if n.clientLn, err = listen("node.listen", cfg.Node.Listen); err != nil {
		return nil, err
	}
	if n.adminLn, err = listen("node.admin", cfg.Node.Admin); err != nil {
		return nil, err
	}
	if cfg.Node.NATS == "" {
		n.natsServer, n.natsCleanup, err = startEmbeddedNATS(cfg.Node.NATSListen, cfg.Node.NATSDataDir, "portico-"+n.tag.String(), log.Named("nats"))
		if err != nil {
			return nil, err
		}
	}
	natsState := engine.NewNATSState()
	if n.nc, err = connectNATS(cfg.Node.NATS, n.natsServer, "portico "+nodeID, natsState, log.Named("nats")); err != nil {
		return nil, err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := engine.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	backends := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	n.deps = engine.Deps{NATS: n.nc, NATSState: natsState, Transport: backends}
	dep, err := engine.Compile(cfg, n.deps)
	if err != nil {
		return nil, err
	}
	n.engine = engine.New(dep, engine.Options{Logger: log.Named("engine"), AccessLog: accessLogger(cfg, log), Metrics: metrics,
		MaxInflight: cfg.Node.MaxInflightIntegrations, MaxInflightPerConnection: cfg.WebSocket.MaxInflightPerConnection,
		MaxReplyBytes: cfg.WebSocket.MaxMessageBytes, StageAccessLog: log.Named("access")})
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "portico", Name: "integrations_inflight",
		Help: "Integration calls running on this node."}, func() float64 { return float64(n.engine.Inflight()) }))
	wsc := cfg.WebSocket
	n.actors = actors.NewSystem(n.engine, actors.Options{
		IdleTimeout:           time.Duration(wsc.IdleTimeout),
		MaxConnectionDuration: time.Duration(wsc.MaxConnectionDuration),
		OutboundQueueBytes:    wsc.OutboundQueueBytes,
		Logger:                log,
	})
	if n.membership, err = callbacks.Join(n.nc, nodeID, n.tag.String(), n.actors.Count, 0, log.Named("cluster")); err != nil {
		return nil, err
	}
	if n.callbacks, err = callbacks.NewService(connRegistry{n.actors}, n.tag, n.nc, callbacks.Options{
		Credentials: credentials(cfg), NATSState: natsState, Logger: log.Named("callbacks"),
		RemoteTimeout: time.Duration(cfg.ConnectionsAPI.ForwardTimeout), Members: n.membership,
		Region: cfg.Node.Region, TrustedProxies: cfg.Node.TrustedProxyPrefixes(),
	}); err != nil {
		return nil, err
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "portico", Name: "connections",
		Help: "WebSocket connections open on this node."}, func() float64 { return float64(n.actors.Count()) }))

	n.client, err = transport.New(transport.Config{
		Limits: transport.Limits{
			MaxFrameBytes:    wsc.MaxFrameBytes,
			MaxMessageBytes:  wsc.MaxMessageBytes,
			WriteTimeout:     time.Duration(wsc.WriteTimeout),
			HandshakeTimeout: time.Duration(wsc.HandshakeTimeout),
		},
		Logger: log.Named("transport"),
	}, n, http.HandlerFunc(n.serveHTTP))
	if err != nil {
		return nil, err
	}
	n.setAdminAccess(cfg)
	n.admin = &http.Server{Handler: n.adminHandler(reg), ReadHeaderTimeout: 10 * time.Second}
	n.serving.Add(2)
	go func() {
		defer n.serving.Done()
		if err := n.client.Serve(n.clientLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("client listener stopped", zap.Error(err))
		}
	}()
	go func() {
		defer n.serving.Done()
		if err := n.admin.Serve(n.adminLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener stopped", zap.Error(err))
		}
	}()
	n.ready.Store(true)
	for _, api := range dep.APIs {
		stages := make([]string, 0, len(api.Stages))
		for s := range api.Stages {
			stages = append(stages, s)
		}
		log.Info("serving API", zap.String("name", api.Name), zap.String("apiId", api.ID),
			zap.String("protocolType", api.ProtocolType), zap.Strings("stages", stages))
	}
	log.Info("node serving", zap.String("nodeId", nodeID), zap.String("listen", n.clientLn.Addr().String()),
		zap.String("admin", n.adminLn.Addr().String()), zap.String("nats", n.NATSURL()))
	return n, nil
}

// Addr is the client listener's address.
func (n *Node) Addr() net.Addr { return n.clientLn.Addr() }

// AdminAddr is the admin listener's address.
func (n *Node) AdminAddr() net.Addr { return n.adminLn.Addr() }

// NATSURL is the URL backends use to reach this node's NATS (the embedded server's, or the one given).
func (n *Node) NATSURL() string {
	if n.natsServer != nil {
		return n.natsServer.ClientURL()
	}
	return n.cfg.Node.NATS
}

// Peers returns the nodes this node sees on its NATS cluster, itself included.
func (n *Node) Peers() []callbacks.Peer { return n.membership.Peers() }

// Engine returns the node's engine.
func (n *Node) Engine() *engine.Engine { return n.engine }

// Connections returns the node's connection actors.
func (n *Node) Connections() *actors.System { return n.actors }

// Shutdown drains the node: it stops accepting, closes every client with 1001, waits for each
// $disconnect, then closes the listeners and NATS. ctx bounds the drain.
func (n *Node) Shutdown(ctx context.Context) error {
	n.shutdownOnce.Do(func() {
		n.ready.Store(false)
		var errs []error
		if err := n.client.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop client listener: %w", err))
		}
		n.membership.Close()
		_ = n.callbacks.Close()
		n.actors.CloseAll(ws.StatusGoingAway, "Going away")
		if err := n.actors.Wait(ctx); err != nil {
			errs = append(errs, fmt.Errorf("wait for connections to close: %w", err))
		}
		if err := n.engine.Wait(ctx); err != nil {
			errs = append(errs, fmt.Errorf("wait for $disconnect integrations: %w", err))
		}
		n.closeAll()
		n.serving.Wait()
		n.shutdownErr = errors.Join(errs...)
	})
	return n.shutdownErr
}

// listen binds one of the node's listeners; the error names the setting, the address and the cause.
func listen(setting, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
		}
		return nil, fmt.Errorf("%s %s: %w", setting, addr, err)
	}
	return ln, nil
}

// closeAll releases whatever New had started, in reverse order; each part may be missing.
func (n *Node) closeAll() {
	if n.client != nil {
		_ = n.client.Close()
	}
	if n.clientLn != nil {
		_ = n.clientLn.Close() // not yet served, or already closed by the server
	}
	if n.admin != nil {
		_ = n.admin.Close()
	}
	if n.adminLn != nil {
		_ = n.adminLn.Close()
	}
	if n.membership != nil {
		n.membership.Close()
	}
	if n.callbacks != nil {
		_ = n.callbacks.Close()
	}
	if n.actors != nil {
		n.actors.Shutdown()
	}
	if n.nc != nil {
		n.nc.Close()
	}
	if n.natsCleanup != nil {
		n.natsCleanup()
	}
}

func (n *Node) adminHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !n.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"draining"}`))
			return
		}
		if !n.nc.IsConnected() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"nats disconnected"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ready"}`))
	})
	mux.HandleFunc("GET /nodes", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(n.membership.Peers())
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	n.mountPprof(mux)
	return mux
}

// serveHTTP answers plain HTTP requests on the client listener: the @connections API, and HTTP and
// REST APIs through the engine.
func (n *Node) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := callbacks.ParsePath(r.URL.EscapedPath()); ok {
		n.callbacks.ServeHTTP(w, r)
		return
	}
	n.engine.ServeHTTP(w, r)
}

// accessLogger is the access log of HTTP and REST requests: on when node.accessLog is set.
func accessLogger(cfg *config.Config, log *zap.Logger) *zap.Logger {
	if !cfg.Node.AccessLog {
		return nil
	}
	return log.Named("access")
}
