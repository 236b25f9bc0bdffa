// Command backend is the chat example's backend: a Lambda-style handler on NATS for the chat API of
// examples/chat/portico.yaml. It keeps room membership in the JetStream key-value bucket chat_rooms
// and posts each message to every member of the sender's room through the @connections API over
// NATS, whichever node the member is connected to. It also serves the browser client on -http.
//
//	go run ./examples/chat/backend -nats nats://127.0.0.1:4222 -http 127.0.0.1:8090
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"
)

func main() {
	natsURL := flag.String("nats", nats.DefaultURL, "NATS URL of the Portico cluster (JetStream enabled)")
	httpAddr := flag.String("http", "127.0.0.1:8090", "address of the browser client page")
	flag.Parse()
	if err := run(*natsURL, *httpAddr); err != nil {
		fmt.Fprintln(os.Stderr, "chat backend:", err)
		os.Exit(1)
	}
}

func run(natsURL, httpAddr string) error {
	log, err := zap.NewDevelopment()
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()

	nc, err := nats.Connect(natsURL, nats.Name("chat backend"), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("connect %s: %w", natsURL, err)
	}
	defer nc.Close()
	b := &Backend{Log: log}
	if err := b.Start(nc); err != nil {
		return err
	}
	defer func() { _ = b.Close() }()

	ln, err := net.Listen("tcp", httpAddr)
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	srv := &http.Server{Handler: pageHandler(), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("chat backend ready", zap.String("nats", natsURL), zap.String("page", "http://"+ln.Addr().String()))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("http: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
