package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Bounds of the load client.
const (
	maxClientConns  = 9000            // connections one client process holds at most
	dialWorkers     = 32              // concurrent dials
	connectDeadline = 3 * time.Minute // longest a connect command may take
	maxEchoDuration = 10 * time.Minute
	maxRequestBytes = 16 << 20 // longest command line: a post to 18,000 ids fits
)

// clientRequest is one command from the benchmark to a load client, one JSON line on its stdin.
type clientRequest struct {
	Op         string        `json:"op"` // connect, echo, close, trickle, trickled, or one of clientops.go
	N          int           `json:"n,omitempty"`
	Size       int           `json:"size,omitempty"`
	Duration   time.Duration `json:"duration,omitempty"`
	MaxPerConn int           `json:"maxPerConn,omitempty"`
	// Of the ops in clientops.go.
	Mode        string   `json:"mode,omitempty"`
	URL         string   `json:"url,omitempty"`
	IDs         []string `json:"ids,omitempty"`
	Concurrency int      `json:"concurrency,omitempty"`
	MaxTotal    int      `json:"maxTotal,omitempty"`
}

// clientReply is a load client's answer, one JSON line on its stdout.
type clientReply struct {
	Conns      int           `json:"conns"`
	Failed     int           `json:"failed,omitempty"`
	FirstError string        `json:"firstError,omitempty"`
	Sent       uint64        `json:"sent,omitempty"`
	Mismatched uint64        `json:"mismatched,omitempty"`
	Elapsed    time.Duration `json:"elapsed,omitempty"`
	Latency    histogram     `json:"latency"`
	// Of the ops in clientops.go.
	IDs      []string `json:"ids,omitempty"`
	Received uint64   `json:"received,omitempty"`
	Start    int64    `json:"start,omitempty"` // Unix ns when sending began
	Last     int64    `json:"last,omitempty"`  // Unix ns of the last message received
}

// loadClient holds the connections of one client process. Not safe for concurrent use.
type loadClient struct {
	target    string
	srcOffset int
	conns     []*clientConn
	receiving *receiving // between arm and collect
	trickling *trickling // between trickle and close
}

// clientConn is one open connection of a load client.
type clientConn struct {
	nc net.Conn
	fr frameReader
}

// serveClient is the -client mode: it runs commands read from in and answers each on out, until in
// ends; then it closes every connection.
func serveClient(target string, srcOffset int, in io.Reader, out io.Writer) error {
	if !strings.HasPrefix(target, "ws://127.") {
		return fmt.Errorf("-target %q: want a ws:// URL on 127.0.0.0/8", target)
	}
	lc := &loadClient{target: target, srcOffset: srcOffset}
	defer lc.stopReceiving()
	defer lc.closeAll()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), maxRequestBytes)
	enc := json.NewEncoder(out)
	for sc.Scan() {
		var req clientRequest
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("client request: %w", err)
		}
		reply, err := lc.do(req)
		if err != nil {
			reply = clientReply{Conns: len(lc.conns), FirstError: err.Error(), Failed: 1}
		}
		if err := enc.Encode(reply); err != nil {
			return fmt.Errorf("client reply: %w", err)
		}
	}
	return sc.Err()
}

func (lc *loadClient) do(req clientRequest) (clientReply, error) {
	switch req.Op {
	case "connect":
		return lc.connect(req.N)
	case "echo":
		return lc.echo(req.Size, req.Duration, req.MaxPerConn)
	case "close":
		lc.closeAll()
		return clientReply{}, nil
	case "trickle":
		return lc.trickle()
	case "trickled":
		return lc.trickled()
	case "churn":
		return lc.churn(req.Concurrency, req.Duration, req.MaxTotal)
	case "ids":
		return lc.ids()
	case "arm":
		return lc.arm(req.Duration, req.MaxPerConn)
	case "collect":
		return lc.collect()
	case "post":
		return postLoad(req)
	case "http":
		return httpLoad(req)
	case "nats":
		return natsLoad(req)
	}
	return clientReply{}, fmt.Errorf("unknown op %q", req.Op)
}

// connect opens n more connections, dialWorkers at a time.
func (lc *loadClient) connect(n int) (clientReply, error) {
	if n < 0 || len(lc.conns)+n > maxClientConns {
		return clientReply{}, fmt.Errorf("connect %d: a client holds at most %d connections", n, maxClientConns)
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectDeadline)
	defer cancel()
	var (
		mu     sync.Mutex
		failed int
		first  error
		wg     sync.WaitGroup
	)
	next := make(chan int)
	base := lc.srcOffset + len(lc.conns)
	for range min(dialWorkers, n) {
		wg.Go(func() {
			for i := range next {
				nc, br, err := dialWS(ctx, lc.target, sourceIP(base+i))
				mu.Lock()
				if err != nil {
					failed++
					if first == nil {
						first = err
					}
				} else {
					c := &clientConn{nc: nc}
					c.fr.r = nc
					if br != nil {
						c.fr.r = br
					}
					lc.conns = append(lc.conns, c)
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	r := clientReply{Conns: len(lc.conns), Failed: failed}
	if first != nil {
		r.FirstError = first.Error()
	}
	return r, nil
}

// echo runs a closed loop on every connection: send a message of size bytes, wait for the reply,
// repeat, until d has passed or maxPerConn messages were sent.
func (lc *loadClient) echo(size int, d time.Duration, maxPerConn int) (clientReply, error) {
	if size < 1 || size > maxReply || d <= 0 || d > maxEchoDuration || maxPerConn < 1 {
		return clientReply{}, fmt.Errorf("echo: bad size %d, duration %s or maxPerConn %d", size, d, maxPerConn)
	}
	payload := echoPayload(size)
	start := time.Now()
	deadline := start.Add(d)
	results := make([]echoResult, len(lc.conns))
	var wg sync.WaitGroup
	for i, c := range lc.conns {
		wg.Go(func() { results[i] = c.echoLoop(payload, deadline, maxPerConn, uint32(i)) })
	}
	wg.Wait()
	r := clientReply{Conns: len(lc.conns), Elapsed: time.Since(start)}
	for _, res := range results {
		r.Latency.merge(res.latency)
		r.Sent += res.sent
		r.Mismatched += res.mismatched
		if res.err != nil {
			r.Failed++
			if r.FirstError == "" {
				r.FirstError = res.err.Error()
			}
		}
	}
	return r, nil
}

// echoResult is what one connection's closed loop measured.
type echoResult struct {
	latency    histogram
	sent       uint64
	mismatched uint64
	err        error
}

func (c *clientConn) echoLoop(payload []byte, deadline time.Time, maxMsgs int, seed uint32) echoResult {
	var res echoResult
	frame := maskedTextFrame(payload, [4]byte{byte(seed), byte(seed >> 8), 0x5a, 0xa5})
	if c.fr.r == c.nc {
		c.fr.r = bufio.NewReaderSize(c.nc, 8<<10)
	}
	if err := c.nc.SetDeadline(deadline.Add(dialTimeout)); err != nil {
		res.err = fmt.Errorf("set deadline: %w", err)
		return res
	}
	for i := 0; i < maxMsgs && time.Now().Before(deadline); i++ {
		t0 := time.Now()
		if _, err := c.nc.Write(frame); err != nil {
			res.err = fmt.Errorf("write: %w", err)
			return res
		}
		res.sent++
		msg, err := c.fr.readMessage()
		if err != nil {
			res.err = fmt.Errorf("read reply %d: %w", i, err)
			return res
		}
		res.latency.record(time.Since(t0))
		if !bytes.Equal(msg, payload) {
			res.mismatched++
			if res.err == nil {
				res.err = fmt.Errorf("reply differs from message: got %q", truncate(msg, 120))
			}
		}
	}
	return res
}

// closeAll stops trickling and closes every connection.
func (lc *loadClient) closeAll() {
	lc.stopTrickling()
	for _, c := range lc.conns {
		_ = c.nc.Close()
	}
	lc.conns = nil
}

// echoPayload returns a JSON message of exactly size bytes (a plain text one below 12 bytes); it has
// no "action", so Portico routes it to $default.
func echoPayload(size int) []byte {
	const head, tail = `{"data":"`, `"}`
	if size < len(head)+len(tail)+1 {
		return bytes.Repeat([]byte("x"), size)
	}
	b := make([]byte, 0, size)
	b = append(b, head...)
	for len(b) < size-len(tail) {
		b = append(b, byte('a'+len(b)%26))
	}
	return append(b, tail...)
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
