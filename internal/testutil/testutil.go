// Package testutil starts the real parts tests run against: NATS servers on random loopback ports and
// Portico nodes built from YAML, each stopped by t.Cleanup.
package testutil

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"go.uber.org/zap/zaptest"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/engine/config"
	"github.com/portico-gateway/portico/internal/wait"
)

// StartNATS starts a NATS server with JetStream on 127.0.0.1 and a random port.
func StartNATS(t testing.TB) *server.Server {
	t.Helper()
	return StartNATSWith(t, nil)
}

// StartNATSWith is StartNATS with the server's options changed by edit (when not nil) first.
func StartNATSWith(t testing.TB, edit func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(),
		NoSigs: true, NoLog: true,
	}
	if edit != nil {
		edit(opts)
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("nats server: %v", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatalf("nats server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

// ConnectNATS connects a client to url, closed by t.Cleanup.
func ConnectNATS(t testing.TB, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatalf("connect nats %s: %v", url, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// WriteConfig writes yaml to a file in a temporary directory and returns its path.
func WriteConfig(t testing.TB, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "portico.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// LoadConfig parses yaml as a config file and points every listener at 127.0.0.1:0.
func LoadConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Load(WriteConfig(t, yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	cfg.Node.Listen = "127.0.0.1:0"
	cfg.Node.Admin = "127.0.0.1:0"
	cfg.Node.NATSListen = "127.0.0.1:0"
	if cfg.Node.NATSDataDir == "" {
		cfg.Node.NATSDataDir = t.TempDir()
	}
	return cfg
}

// StartNode starts a node from cfg and drains it in t.Cleanup.
func StartNode(t testing.TB, cfg *config.Config) *portico.Node {
	t.Helper()
	n, err := portico.New(cfg, zaptest.NewLogger(t, zaptest.Level(zapLevel())))
	if err != nil {
		t.Fatalf("start node: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := n.Shutdown(ctx); err != nil {
			t.Errorf("node shutdown: %v", err)
		}
	})
	return n
}

// WSURL is the WebSocket URL of a stage on node n.
func WSURL(n *portico.Node, stage string) string {
	return fmt.Sprintf("ws://%s/%s", n.Addr(), stage)
}

// CheckFor calls f every interval until it returns nil, failing the test with f's last error once
// total has passed.
func CheckFor(t testing.TB, total, interval time.Duration, f func() error) {
	t.Helper()
	wait.For(t, total, interval, f)
}
