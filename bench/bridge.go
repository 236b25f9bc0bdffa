package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/gobwas/ws"
	"github.com/nats-io/nats.go"
	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/transport"
)

// Names of the NATS echo the nats scenario runs through.
const (
	echoSubject    = "bench.echo"
	echoQueue      = "bench"
	requestTimeout = 10 * time.Second
)

// bridge is the baseline of the nats scenario: the bare transport with no actors and no engine,
// turning every message into one NATS request that carries an event of the same shape and size as
// Portico's, and writing the reply's body back.
type bridge struct {
	nc *nats.Conn
}

func newBridge(url string) (*bridge, error) {
	nc, err := nats.Connect(url, nats.Name("bench-bridge"))
	if err != nil {
		return nil, fmt.Errorf("bridge: connect %s: %w", url, err)
	}
	return &bridge{nc: nc}, nil
}

func (b *bridge) close() { b.nc.Close() }

func (b *bridge) Handshake(r *http.Request) transport.Decision {
	id := newConnectionID()
	at := time.Now()
	host := r.Host
	return transport.Decision{Status: http.StatusSwitchingProtocols, OnUpgraded: func(c *transport.Conn) transport.ConnHandler {
		return &bridgeConn{b: b, c: c, id: id, connectedAt: at, host: host, src: c.RemoteAddr().String()}
	}}
}

// bridgeConn is one connection of the bridge.
type bridgeConn struct {
	b           *bridge
	c           *transport.Conn
	id, host    string
	src         string
	connectedAt time.Time
}

// OnMessage makes the request on its own goroutine, so that a slow reply holds no transport worker;
// the closed loop of the load client keeps one request per connection in flight.
func (bc *bridgeConn) OnMessage(_ ws.OpCode, p []byte) {
	ev := appendBridgeEvent(make([]byte, 0, 512+len(p)), bc, p, time.Now())
	go func() {
		reply, err := bc.b.nc.Request(echoSubject, ev, requestTimeout)
		if err != nil {
			_ = bc.c.WriteText([]byte(`{"message": "Internal server error"}`))
			return
		}
		_ = bc.c.WriteText([]byte(gjson.GetBytes(reply.Data, "body").String()))
	}()
}

func (*bridgeConn) OnClose(ws.StatusCode, string) {}

// appendBridgeEvent appends a MESSAGE event shaped like the Lambda proxy event Portico sends.
func appendBridgeEvent(dst []byte, bc *bridgeConn, body []byte, now time.Time) []byte {
	id := newConnectionID()
	dst = append(dst, `{"requestContext":{"routeKey":"$default","messageId":`...)
	dst = appendJSONString(dst, id)
	dst = append(dst, `,"eventType":"MESSAGE","extendedRequestId":`...)
	dst = appendJSONString(dst, id)
	dst = append(dst, `,"requestTime":`...)
	dst = appendJSONString(dst, now.UTC().Format("02/Jan/2006:15:04:05 +0000"))
	dst = append(dst, `,"messageDirection":"IN","stage":"prod","connectedAt":`...)
	dst = strconv.AppendInt(dst, bc.connectedAt.UnixMilli(), 10)
	dst = append(dst, `,"requestTimeEpoch":`...)
	dst = strconv.AppendInt(dst, now.UnixMilli(), 10)
	dst = append(dst, `,"identity":{"sourceIp":`...)
	dst = appendJSONString(dst, bc.src)
	dst = append(dst, `},"requestId":`...)
	dst = appendJSONString(dst, id)
	dst = append(dst, `,"domainName":`...)
	dst = appendJSONString(dst, bc.host)
	dst = append(dst, `,"connectionId":`...)
	dst = appendJSONString(dst, bc.id)
	dst = append(dst, `,"apiId":"benchbench0"},"body":`...)
	dst = appendJSONString(dst, string(body))
	return append(dst, `,"isBase64Encoded":false}`...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// newConnectionID returns a 16-character id ending in '=' like API Gateway's.
func newConnectionID() string {
	var b [11]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])[:15] + "="
}

// echoReply is the responder's answer to an event: a Lambda proxy response whose body is the
// event's body, copied as the JSON string it already is.
func echoReply(event []byte) []byte {
	body := gjson.GetBytes(event, "body")
	raw := body.Raw
	switch {
	case body.Type != gjson.String:
		raw = `""`
	case !gjson.Valid(raw): // gjson reads malformed events leniently
		raw = string(appendJSONString(nil, body.String()))
	}
	out := make([]byte, 0, len(raw)+32)
	out = append(out, `{"statusCode":200,"body":`...)
	out = append(out, raw...)
	return append(out, '}')
}

// serveResponderUntilSignal is the -nats-responder mode: the backend of the nats scenario, answering
// every request on echoSubject with echoReply until SIGTERM or SIGINT.
func serveResponderUntilSignal(url string) error {
	nc, err := nats.Connect(url, nats.Name("bench-responder"))
	if err != nil {
		return fmt.Errorf("responder: connect %s: %w", url, err)
	}
	defer nc.Close()
	if err := subscribeResponder(nc); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	<-ctx.Done()
	return nil
}

// subscribeResponder answers requests on echoSubject with echoReply. It subscribes once per CPU in
// one queue group, so that replies are not serialised on one handler.
func subscribeResponder(nc *nats.Conn) error {
	for range runtime.GOMAXPROCS(0) {
		if _, err := nc.QueueSubscribe(echoSubject, echoQueue, func(m *nats.Msg) { _ = m.Respond(echoReply(m.Data)) }); err != nil {
			return fmt.Errorf("responder: subscribe: %w", err)
		}
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("responder: flush: %w", err)
	}
	return nil
}

var (
	_ transport.WebSocketHandler = (*bridge)(nil)
	_ transport.ConnHandler      = (*bridgeConn)(nil)
)
