package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/tidwall/gjson"

	"github.com/portico-gateway/portico/callbacks"
)

// Bounds of the load client's request loops.
const (
	maxLoadConcurrency = 1024
	maxLoadTotal       = 50_000_000
	loadTimeout        = 10 * time.Second // one request's longest wait
)

// Modes of the post op.
const (
	postHTTP        = "http"    // POST {url}/{id}, the AWS-compatible @connections API
	postNATS        = "nats"    // NATS request on portico.node.{id[:8]}.post.{id}
	postNATSPublish = "natspub" // NATS publish on the same subject, fire-and-forget
)

// runLoad calls do from concurrency goroutines with k = 0, 1, 2, … until d has passed or maxTotal
// calls were made; Sent counts the calls that succeeded and Latency their time.
func runLoad(concurrency int, d time.Duration, maxTotal int, do func(k int) error) (clientReply, error) {
	if concurrency < 1 || concurrency > maxLoadConcurrency || d <= 0 || d > maxEchoDuration || maxTotal < 1 || maxTotal > maxLoadTotal {
		return clientReply{}, fmt.Errorf("bad concurrency %d, duration %s or maxTotal %d", concurrency, d, maxTotal)
	}
	return runWorkers(concurrency, d, maxTotal, func(k int) (func(), error) { return nil, do(k) })
}

// runWorkers runs do for k = 0, 1, ... from concurrency workers until maxTotal calls were made or d
// has passed. A call's latency is its own time; the cleanup it returns (may be nil) runs after the
// latency is taken. Failed calls count in Failed, and the first error is kept.
func runWorkers(concurrency int, d time.Duration, maxTotal int, do func(k int) (cleanup func(), err error)) (clientReply, error) {
	start := time.Now()
	deadline := start.Add(d)
	var next atomic.Int64
	results := make([]echoResult, concurrency)
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			res := &results[w]
			for {
				k := next.Add(1) - 1
				if k >= int64(maxTotal) || time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				cleanup, err := do(int(k))
				if err != nil {
					res.mismatched++
					if res.err == nil {
						res.err = err
					}
					continue
				}
				res.latency.record(time.Since(t0))
				res.sent++
				if cleanup != nil {
					cleanup()
				}
			}
		})
	}
	wg.Wait()
	r := clientReply{Elapsed: time.Since(start), Start: start.UnixNano()}
	for _, res := range results {
		r.Sent += res.sent
		r.Failed += int(res.mismatched)
		r.Latency.merge(res.latency)
		if r.FirstError == "" && res.err != nil {
			r.FirstError = res.err.Error()
		}
	}
	return r, nil
}

// loopbackURL checks that u has the scheme and a host on 127.0.0.0/8.
func loopbackURL(u, scheme string) error {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != scheme || !strings.HasPrefix(p.Host, "127.") {
		return fmt.Errorf("url %q: want %s:// on 127.0.0.0/8", u, scheme)
	}
	return nil
}

// httpClient is a keep-alive client with as many idle connections as requests in flight.
func httpClient(concurrency int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = max(tr.MaxIdleConns, 2*concurrency)
	tr.MaxIdleConnsPerHost = concurrency
	return &http.Client{Transport: tr, Timeout: loadTimeout}
}

// postLoad posts messages of req.Size bytes round-robin to req.IDs, in req.Mode.
func postLoad(req clientRequest) (clientReply, error) {
	if len(req.IDs) == 0 || req.Size < minPostBytes || req.Size > maxReply {
		return clientReply{}, fmt.Errorf("post: want ids and a size within [%d, %d]", minPostBytes, maxReply)
	}
	var do func(k int) error
	switch req.Mode {
	case postHTTP:
		if err := loopbackURL(req.URL, "http"); err != nil {
			return clientReply{}, err
		}
		hc := httpClient(req.Concurrency)
		defer hc.CloseIdleConnections()
		do = func(k int) error {
			body := appendPostMessage(nil, req.Size, time.Now())
			resp, err := hc.Post(req.URL+"/"+url.PathEscape(req.IDs[k%len(req.IDs)]), "application/octet-stream", bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("post: %w", err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("post: status %d: %s", resp.StatusCode, b)
			}
			return nil
		}
	case postNATS, postNATSPublish:
		if err := loopbackURL(req.URL, "nats"); err != nil {
			return clientReply{}, err
		}
		nc, err := nats.Connect(req.URL, nats.Name("bench-poster"))
		if err != nil {
			return clientReply{}, fmt.Errorf("post: connect: %w", err)
		}
		defer nc.Close()
		publish := req.Mode == postNATSPublish
		do = func(k int) error {
			id := req.IDs[k%len(req.IDs)]
			subject, ok := callbacks.Subject(callbacks.OpPost, id)
			if !ok {
				return fmt.Errorf("post: %q is no connection id", id)
			}
			body := appendPostMessage(nil, req.Size, time.Now())
			if publish {
				return nc.Publish(subject, body)
			}
			m, err := nc.Request(subject, body, loadTimeout)
			if err != nil {
				return fmt.Errorf("post: %w", err)
			}
			if code := gjson.GetBytes(m.Data, "statusCode").Int(); code != http.StatusOK {
				return fmt.Errorf("post: reply %s", truncate(m.Data, 120))
			}
			return nil
		}
		r, err := runLoad(req.Concurrency, req.Duration, req.MaxTotal, do)
		if err == nil && publish {
			if ferr := nc.FlushTimeout(loadTimeout); ferr != nil {
				r.Failed++
				r.FirstError = fmt.Sprintf("post: flush: %v", ferr)
			}
		}
		return r, err
	default:
		return clientReply{}, fmt.Errorf("post: unknown mode %q", req.Mode)
	}
	return runLoad(req.Concurrency, req.Duration, req.MaxTotal, do)
}

// httpLoad sends GET req.URL with keep-alive from req.Concurrency goroutines and checks each answer.
func httpLoad(req clientRequest) (clientReply, error) {
	if err := loopbackURL(req.URL, "http"); err != nil {
		return clientReply{}, err
	}
	hc := httpClient(req.Concurrency)
	defer hc.CloseIdleConnections()
	return runLoad(req.Concurrency, req.Duration, req.MaxTotal, func(int) error {
		resp, err := hc.Get(req.URL)
		if err != nil {
			return fmt.Errorf("get: %w", err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if err != nil {
			return fmt.Errorf("get: %w", err)
		}
		if resp.StatusCode != http.StatusOK || string(b) != backendBody {
			return fmt.Errorf("get: status %d: %s", resp.StatusCode, truncate(b, 120))
		}
		return nil
	})
}

// natsLoad makes NATS requests to the echo responder with an event like the bridge's around a
// message of req.Size bytes and checks each reply's body.
func natsLoad(req clientRequest) (clientReply, error) {
	if err := loopbackURL(req.URL, "nats"); err != nil {
		return clientReply{}, err
	}
	if req.Size < 1 || req.Size > maxReply {
		return clientReply{}, fmt.Errorf("nats: bad size %d", req.Size)
	}
	nc, err := nats.Connect(req.URL, nats.Name("bench-nats-client"))
	if err != nil {
		return clientReply{}, fmt.Errorf("nats: connect: %w", err)
	}
	defer nc.Close()
	payload := echoPayload(req.Size)
	bc := &bridgeConn{id: newConnectionID(), host: "127.0.0.1", src: "127.0.0.2:40000", connectedAt: time.Now()}
	return runLoad(req.Concurrency, req.Duration, req.MaxTotal, func(int) error {
		ev := appendBridgeEvent(make([]byte, 0, 512+len(payload)), bc, payload, time.Now())
		m, err := nc.Request(echoSubject, ev, loadTimeout)
		if err != nil {
			return fmt.Errorf("nats: %w", err)
		}
		if body := gjson.GetBytes(m.Data, "body").String(); body != string(payload) {
			return fmt.Errorf("nats: reply body differs: %q", truncate([]byte(body), 120))
		}
		return nil
	})
}
