package main

import (
	"encoding/json"
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

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/portico-gateway/portico/actors"
	"github.com/portico-gateway/portico/internal/wait"
)

// startFanoutBaseline runs the baseline with /fanout in this process.
func startFanoutBaseline(t *testing.T) (wsURL string, b *baseline, s *serverProc) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b, err = startBaseline(ln, adminLn, baselineConfig{fanout: true})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	s = &serverProc{name: baseName, adminURL: "http://" + adminLn.Addr().String(), connMetric: baselineConnMetric,
		http: http.DefaultClient, exited: make(chan struct{})}
	return "ws://" + ln.Addr().String() + "/", b, s
}

func TestFanoutReachesEveryConnection(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	url, _, s := startFanoutBaseline(t)
	lc := &loadClient{target: url}
	t.Cleanup(lc.closeAll)
	r, err := lc.connect(10)
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 10, 100*time.Millisecond) })

	_, err = lc.arm(10*time.Second, 3)
	require.NoError(t, err)
	_, err = lc.arm(10*time.Second, 3)
	require.Error(t, err, "a second arm before collect")
	sent, start, err := fanout(s, 30)
	require.NoError(t, err)
	require.Equal(t, uint64(30), sent)
	r, err = lc.collect()
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	require.Equal(t, uint64(30), r.Received)
	require.Zero(t, r.Mismatched)
	require.Equal(t, uint64(30), r.Latency.N)
	require.GreaterOrEqual(t, r.Last, start.UnixNano())

	_, err = lc.collect()
	require.Error(t, err, "collect without arm")
}

func TestReceivingStopsAfterTheLastMessage(t *testing.T) {
	url, _, s := startFanoutBaseline(t)
	lc := &loadClient{target: url}
	t.Cleanup(lc.closeAll)
	_, err := lc.connect(2)
	require.NoError(t, err)
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 2, 100*time.Millisecond) })
	_, err = lc.arm(time.Minute, 0)
	require.NoError(t, err)
	_, _, err = fanout(s, 8)
	require.NoError(t, err)
	t0 := time.Now()
	r, err := lc.collect()
	require.NoError(t, err)
	require.Less(t, time.Since(t0), 30*time.Second, "ends a gap after the last message, not at the hard deadline")
	require.Equal(t, uint64(8), r.Received)
	require.Zero(t, r.Failed, r.FirstError)
}

func TestFanoutRefusesBadRequests(t *testing.T) {
	_, _, s := startFanoutBaseline(t)
	tests := []struct {
		name  string
		query string
		code  int
	}{
		{"no count", "size=64", http.StatusBadRequest},
		{"zero count", "n=0&size=64", http.StatusBadRequest},
		{"message too small", "n=1&size=3", http.StatusBadRequest},
		{"no connections", "n=1&size=64", http.StatusConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(s.adminURL+"/fanout?"+tt.query, "text/plain", nil)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, tt.code, resp.StatusCode)
		})
	}
}

func TestEchoBaselineHasNoFanout(t *testing.T) {
	_, _, admin := startTestBaseline(t)
	resp, err := http.Post(admin+"/fanout?n=1&size=64", "text/plain", nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestChurnOpensAndClosesConnections(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	url, _, admin := startTestBaseline(t)
	s := &serverProc{name: baseName, adminURL: admin, connMetric: baselineConnMetric, http: http.DefaultClient, exited: make(chan struct{})}
	lc := &loadClient{target: url}
	r, err := lc.churn(4, 10*time.Second, 50)
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	require.Equal(t, uint64(50), r.Sent, "bounded by count before time")
	require.Equal(t, uint64(50), r.Latency.N)
	wait.For(t, 5*time.Second, 20*time.Millisecond, func() error { return waitConnections(s, 0, 100*time.Millisecond) })
}

func TestWhoamiNeedsAConnectionID(t *testing.T) {
	url, _, _ := startTestBaseline(t)
	lc := &loadClient{target: url}
	t.Cleanup(lc.closeAll)
	_, err := lc.connect(2)
	require.NoError(t, err)
	r, err := lc.ids()
	require.NoError(t, err)
	require.Equal(t, 2, r.Failed, "the echo server answers with the question")
	require.Contains(t, r.FirstError, "no connection id")
}

func TestHTTPLoadDirectAndThroughReverseProxy(t *testing.T) {
	backend := httptest.NewServer(backendHandler())
	t.Cleanup(backend.Close)
	rp, err := reverseProxy(backend.URL, 4)
	require.NoError(t, err)
	front := httptest.NewServer(rp)
	t.Cleanup(front.Close)
	for _, target := range []string{backend.URL, front.URL} {
		r, err := httpLoad(clientRequest{URL: target + "/a/b", Concurrency: 4, Duration: 10 * time.Second, MaxTotal: 100})
		require.NoError(t, err)
		require.Zero(t, r.Failed, r.FirstError)
		require.Equal(t, uint64(100), r.Sent)
	}
}

func TestReverseProxyWantsALoopbackUpstream(t *testing.T) {
	for _, u := range []string{"", "http://example.com", "https://127.0.0.1:1", "%zz"} {
		_, err := reverseProxy(u, 4)
		require.Error(t, err, u)
	}
}

func TestPostLoadOverHTTP(t *testing.T) {
	var mu sync.Mutex
	posts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, ok := parsePostMessage(body); !ok || r.Method != http.MethodPost {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/prod/@connections/")
		if id == "gone" {
			w.WriteHeader(http.StatusGone)
			return
		}
		mu.Lock()
		posts[id]++
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r, err := postLoad(clientRequest{Mode: postHTTP, URL: srv.URL + "/prod/@connections", IDs: []string{"a", "b"},
		Size: 64, Concurrency: 3, Duration: 10 * time.Second, MaxTotal: 10})
	require.NoError(t, err)
	require.Zero(t, r.Failed, r.FirstError)
	require.Equal(t, uint64(10), r.Sent)
	require.Equal(t, map[string]int{"a": 5, "b": 5}, posts)

	r, err = postLoad(clientRequest{Mode: postHTTP, URL: srv.URL + "/prod/@connections", IDs: []string{"gone"},
		Size: 64, Concurrency: 1, Duration: 10 * time.Second, MaxTotal: 2})
	require.NoError(t, err)
	require.Equal(t, 2, r.Failed)
	require.Contains(t, r.FirstError, "410")
}

func TestPostLoadOverNATS(t *testing.T) {
	url := startTestNATS(t)
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	var got atomic.Int64
	_, err = nc.Subscribe("portico.node.>", func(m *nats.Msg) {
		if _, ok := parsePostMessage(m.Data); ok {
			got.Add(1)
		}
		if m.Reply != "" {
			_ = m.Respond([]byte(`{"statusCode":200}`))
		}
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	var tag actors.NodeTag
	ids := []string{actors.NewConnectionID(tag), actors.NewConnectionID(tag)}

	for i, mode := range []string{postNATS, postNATSPublish} {
		r, err := postLoad(clientRequest{Mode: mode, URL: url, IDs: ids, Size: 64, Concurrency: 2, Duration: 10 * time.Second, MaxTotal: 10})
		require.NoError(t, err)
		require.Zero(t, r.Failed, r.FirstError)
		require.Equal(t, uint64(10), r.Sent)
		wait.For(t, 5*time.Second, 20*time.Millisecond, func() error {
			if n := got.Load(); n != int64(10*(i+1)) {
				return fmt.Errorf("%d posts seen", n)
			}
			return nil
		})
	}
}

func TestLoadOpsRefuseBadRequests(t *testing.T) {
	lc := &loadClient{target: "ws://127.0.0.1:1/"}
	ok := clientRequest{URL: "http://127.0.0.1:1/", IDs: []string{"a"}, Size: 64, Concurrency: 1, Duration: time.Second, MaxTotal: 1}
	with := func(f func(r *clientRequest)) clientRequest { r := ok; f(&r); return r }
	tests := []struct {
		name string
		req  clientRequest
	}{
		{"post in an unknown mode", with(func(r *clientRequest) { r.Op, r.Mode = "post", "carrier-pigeon" })},
		{"post without ids", with(func(r *clientRequest) { r.Op, r.Mode, r.IDs = "post", postHTTP, nil })},
		{"post off loopback", with(func(r *clientRequest) { r.Op, r.Mode, r.URL = "post", postHTTP, "http://192.0.2.1/" })},
		{"nats post to an http url", with(func(r *clientRequest) { r.Op, r.Mode = "post", postNATS })},
		{"http off loopback", with(func(r *clientRequest) { r.Op, r.URL = "http", "http://192.0.2.1/" })},
		{"http without concurrency", with(func(r *clientRequest) { r.Op, r.Concurrency = "http", 0 })},
		{"http without bound", with(func(r *clientRequest) { r.Op, r.MaxTotal = "http", 0 })},
		{"nats to an http url", with(func(r *clientRequest) { r.Op = "nats" })},
		{"churn without time", clientRequest{Op: "churn", Concurrency: 1, MaxTotal: 1}},
		{"churn past its bound", clientRequest{Op: "churn", Concurrency: 1, Duration: time.Second, MaxTotal: maxChurn + 1}},
		{"arm without time", clientRequest{Op: "arm"}},
		{"collect without arm", clientRequest{Op: "collect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lc.do(tt.req)
			require.Error(t, err)
		})
	}
}

func TestLoadClientReadsLongCommands(t *testing.T) {
	ids := make([]string, 18000)
	var tag actors.NodeTag
	for i := range ids {
		ids[i] = actors.NewConnectionID(tag)
	}
	line, err := json.Marshal(clientRequest{Op: "close", IDs: ids})
	require.NoError(t, err)
	require.Greater(t, len(line), 64<<10)
	var out strings.Builder
	require.NoError(t, serveClient("ws://127.0.0.1:1/", 0, strings.NewReader(string(line)+"\n"), &out))
	var r clientReply
	require.NoError(t, json.Unmarshal([]byte(out.String()), &r))
	require.Empty(t, r.FirstError)
}
