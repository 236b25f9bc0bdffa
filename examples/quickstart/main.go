// Command quickstart runs a Portico node on examples/quickstart/portico.yaml together with the two
// backends its routes name: a Lambda-style handler on the node's NATS (sendmessage) and an HTTP
// server on 127.0.0.1:9000 ($default). With -demo it also connects a WebSocket client, sends one
// message to every route, prints the replies and exits.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/engine/config"
)

func main() {
	cfgPath := flag.String("config", "examples/quickstart/portico.yaml", "Portico config")
	demo := flag.Bool("demo", false, "send one message to every route, print the replies and exit")
	flag.Parse()
	if err := run(*cfgPath, *demo); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(cfgPath string, demo bool) error {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	log, _ := zap.NewDevelopment()
	if demo {
		log = zap.NewNop()
	}
	node, err := portico.New(cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = node.Shutdown(ctx)
	}()

	nc, err := nats.Connect(node.NATSURL())
	if err != nil {
		return err
	}
	defer nc.Close()
	if _, err := nc.Subscribe("quickstart.sendmessage", sendMessage); err != nil {
		return err
	}
	if err := nc.Flush(); err != nil {
		return err
	}
	httpBackend, err := startHTTPBackend("127.0.0.1:9000")
	if err != nil {
		return err
	}
	defer httpBackend.Close()

	url := fmt.Sprintf("ws://%s/prod", node.Addr())
	if demo {
		return runDemo(url)
	}
	fmt.Printf("Portico serves %s (NATS %s). Try:\n", url, node.NATSURL())
	fmt.Printf(`  {"action":"echo","data":"hi"}  {"action":"whoami"}  {"action":"sendmessage","data":"hi"}  {"action":"anything"}`)
	fmt.Println("\nCtrl-C drains and stops.")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// sendMessage is a Lambda-style handler for the sendmessage route: it receives the API Gateway
// WebSocket event and answers with a proxy response whose body goes back to the client.
func sendMessage(m *nats.Msg) {
	var ev events.APIGatewayWebsocketProxyRequest
	resp := events.APIGatewayProxyResponse{StatusCode: 200}
	if err := json.Unmarshal(m.Data, &ev); err != nil {
		resp.StatusCode, resp.Body = 400, "bad event"
	} else {
		resp.Body = fmt.Sprintf(`{"from":"nats backend","connectionId":%q,"youSaid":%s}`, ev.RequestContext.ConnectionID, ev.Body)
	}
	data, _ := json.Marshal(resp)
	_ = m.Respond(data)
}

func startHTTPBackend(addr string) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http backend: %w", err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"from":"http backend","connectionId":%q,"youSaid":%q}`, r.Header.Get("X-Connection-Id"), body)
	})}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "http backend:", err)
		}
	}()
	return srv, nil
}

func runDemo(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return fmt.Errorf("dial %s: %w", url, err)
	}
	defer c.Close(websocket.StatusNormalClosure, "demo done")
	for _, msg := range []string{
		`{"action":"echo","data":"hi"}`,
		`{"action":"whoami"}`,
		`{"action":"sendmessage","data":"hi"}`,
		`{"action":"anything"}`,
	} {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			return err
		}
		_, reply, err := c.Read(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("> %s\n< %s\n", msg, reply)
	}
	return nil
}
