package portico

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/engine/integration"
)

// startEmbeddedNATS starts the node's own NATS server with JetStream, listening on addr for backends
// and other nodes. A port of 0 picks a free port. dataDir empty means a temporary directory that is
// removed by the returned cleanup.
func startEmbeddedNATS(addr, dataDir, name string, log *zap.Logger) (*server.Server, func(), error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("natsListen %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, nil, fmt.Errorf("natsListen %q: bad port: %w", addr, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	cleanup := func() {}
	if dataDir == "" {
		dir, err := os.MkdirTemp("", "portico-nats-")
		if err != nil {
			return nil, nil, fmt.Errorf("nats data dir: %w", err)
		}
		dataDir = dir
		cleanup = func() { _ = os.RemoveAll(dir) }
	}
	opts := &server.Options{
		ServerName: name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   dataDir,
		// Set, not left to the server's default (1 MiB): the largest message, and so the largest
		// integration reply, the node's own server carries.
		MaxPayload: integration.MaxNATSReply,
		NoSigs:     true,
		NoLog:      true,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("embedded nats: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		cleanup()
		return nil, nil, fmt.Errorf("embedded nats: not ready on %s within 10s", addr)
	}
	log.Info("embedded NATS started", zap.String("url", ns.ClientURL()), zap.String("storeDir", dataDir))
	return ns, func() { ns.Shutdown(); ns.WaitForShutdown(); cleanup() }, nil
}

// connectNATS connects the node to NATS: in-process to the embedded server, or to url. The connection
// reconnects forever; while it is down, integrations fail fast.
func connectNATS(url string, ns *server.Server, name string, state *engine.NATSState, log *zap.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			state.Disconnected()
			if err != nil { // nil when the node closes the connection itself
				log.Warn("NATS disconnected", zap.Error(err))
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			state.Reconnected()
			log.Info("NATS reconnected", zap.String("url", nc.ConnectedUrl()))
		}),
		nats.ClosedHandler(func(*nats.Conn) { state.Disconnected() }),
	}
	if ns != nil {
		opts = append(opts, nats.InProcessServer(ns))
		url = ns.ClientURL()
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect NATS %s: %w", url, err)
	}
	return nc, nil
}
