package main

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
	"go.uber.org/goleak"
)

// startTestNATS runs a NATS server in this process on a free loopback port.
func startTestNATS(t *testing.T) string {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	require.True(t, ns.ReadyForConnections(10*time.Second))
	return ns.ClientURL()
}

func TestBridgeEventIsTheShapeOfPorticosEvent(t *testing.T) {
	bc := &bridgeConn{id: newConnectionID(), host: "127.0.0.1:8080", src: "127.0.0.2:4000", connectedAt: time.UnixMilli(1_700_000_000_000)}
	tests := []struct{ name, body string }{
		{"json", `{"data":"x"}`},
		{"quotes and backslashes", `a"b\c`},
		{"control characters", "line\nbreak\x01"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := appendBridgeEvent(nil, bc, []byte(tt.body), time.UnixMilli(1_700_000_001_000))
			require.True(t, gjson.ValidBytes(ev), "%s", ev)
			require.Equal(t, tt.body, gjson.GetBytes(ev, "body").String())
			require.Equal(t, bc.id, gjson.GetBytes(ev, "requestContext.connectionId").String())
			require.Equal(t, "MESSAGE", gjson.GetBytes(ev, "requestContext.eventType").String())
			require.Equal(t, int64(1_700_000_001_000), gjson.GetBytes(ev, "requestContext.requestTimeEpoch").Int())

			reply := echoReply(ev)
			require.Equal(t, int64(200), gjson.GetBytes(reply, "statusCode").Int())
			require.Equal(t, tt.body, gjson.GetBytes(reply, "body").String())
		})
	}
}

func TestEchoReplyOfAnEventWithoutStringBody(t *testing.T) {
	for _, ev := range []string{`{}`, `{"body":null}`, `{"body":{"a":1}}`, `not json`} {
		reply := echoReply([]byte(ev))
		require.True(t, gjson.ValidBytes(reply), "%s", reply)
		require.Empty(t, gjson.GetBytes(reply, "body").String())
	}
}

func TestNewConnectionIDLooksLikeAPIGateways(t *testing.T) {
	id := newConnectionID()
	require.Len(t, id, 16)
	require.Equal(t, byte('='), id[15])
	require.NotEqual(t, id, newConnectionID())
}

func TestBridgeEchoesThroughNATSResponder(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	url := startTestNATS(t)
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	require.NoError(t, subscribeResponder(nc))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b, err := startBaseline(ln, adminLn, baselineConfig{natsURL: url})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })

	lc := &loadClient{target: "ws://" + ln.Addr().String() + "/"}
	t.Cleanup(lc.closeAll)
	r, err := lc.connect(5)
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	r, err = lc.echo(300, 5*time.Second, 20)
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	require.Zero(t, r.Mismatched)
	require.Equal(t, uint64(5*20), r.Latency.N)

	raw, err := natsLoad(clientRequest{URL: url, Size: 100, Concurrency: 4, Duration: 5 * time.Second, MaxTotal: 40})
	require.NoError(t, err)
	require.Zero(t, raw.Failed, raw.FirstError)
	require.Equal(t, uint64(40), raw.Sent)
}

func TestBaselineWithoutNATSFailsToStartAsBridge(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = newBridge("nats://" + addr)
	require.Error(t, err)
}

func FuzzEchoReply(f *testing.F) {
	f.Add([]byte(`{"requestContext":{},"body":"{\"data\":\"x\"}","isBase64Encoded":false}`))
	f.Add([]byte(`{"body":"\u00e9\\\""}`))
	f.Add([]byte(`{"body":"unterminated`))
	f.Fuzz(func(t *testing.T, event []byte) {
		reply := echoReply(event)
		if !gjson.ValidBytes(reply) {
			t.Fatalf("reply %q to %q is not JSON", reply, event)
		}
		if gjson.GetBytes(reply, "statusCode").Int() != 200 {
			t.Fatalf("reply %q has no statusCode 200", reply)
		}
	})
}
