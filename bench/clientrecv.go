package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/portico-gateway/portico/actors"
)

// Bounds of the receiving side of the load client.
const (
	receiveGap    = time.Second // a receiving connection stops this long after its last message
	whoamiMessage = `{"action":"whoami"}`
	maxChurn      = 5_000_000 // connections one churn opens at most
)

// reader returns the connection's frame reader, buffered.
func (c *clientConn) reader() *frameReader {
	if c.fr.r == c.nc {
		c.fr.r = bufio.NewReaderSize(c.nc, 8<<10)
	}
	return &c.fr
}

// ids asks every connection for its connection id: Portico's whoami route answers with
// $context.connectionId.
func (lc *loadClient) ids() (clientReply, error) {
	ids := make([]string, len(lc.conns))
	errs := make([]error, len(lc.conns))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(dialWorkers, len(lc.conns)) {
		wg.Go(func() {
			for i := range next {
				ids[i], errs[i] = lc.conns[i].whoami()
			}
		})
	}
	for i := range lc.conns {
		next <- i
	}
	close(next)
	wg.Wait()
	r := clientReply{Conns: len(lc.conns), IDs: ids}
	for _, err := range errs {
		if err != nil {
			r.Failed++
			if r.FirstError == "" {
				r.FirstError = err.Error()
			}
		}
	}
	return r, nil
}

func (c *clientConn) whoami() (string, error) {
	if err := c.nc.SetDeadline(time.Now().Add(dialTimeout)); err != nil {
		return "", fmt.Errorf("whoami: %w", err)
	}
	defer c.nc.SetDeadline(time.Time{})
	if _, err := c.nc.Write(maskedTextFrame([]byte(whoamiMessage), [4]byte{1, 2, 3, 4})); err != nil {
		return "", fmt.Errorf("whoami: %w", err)
	}
	msg, err := c.reader().readMessage()
	if err != nil {
		return "", fmt.Errorf("whoami: %w", err)
	}
	if _, ok := actors.ParseConnectionID(string(msg)); !ok {
		return "", fmt.Errorf("whoami: reply %q is no connection id", truncate(msg, 120))
	}
	return string(msg), nil
}

// receiving is the state of an arm until its collect: one reader per connection.
type receiving struct {
	wg      sync.WaitGroup
	results []recvResult
}

// recvResult is what one connection received.
type recvResult struct {
	n, bad  uint64
	last    time.Time
	latency histogram
	err     error
}

// arm starts reading post messages on every connection and returns at once. A connection stops
// after perConn messages (0: no count), receiveGap after its last message, or when d has passed.
func (lc *loadClient) arm(d time.Duration, perConn int) (clientReply, error) {
	if lc.receiving != nil {
		return clientReply{}, errors.New("arm: already receiving")
	}
	if d <= 0 || d > maxEchoDuration || perConn < 0 {
		return clientReply{}, fmt.Errorf("arm: bad duration %s or perConn %d", d, perConn)
	}
	rc := &receiving{results: make([]recvResult, len(lc.conns))}
	hard := time.Now().Add(d)
	for i, c := range lc.conns {
		rc.wg.Go(func() { rc.results[i] = c.receive(hard, perConn) })
	}
	lc.receiving = rc
	return clientReply{Conns: len(lc.conns)}, nil
}

func (c *clientConn) receive(hard time.Time, perConn int) recvResult {
	var res recvResult
	fr := c.reader()
	defer c.nc.SetReadDeadline(time.Time{})
	deadline := hard
	for perConn == 0 || res.n < uint64(perConn) {
		if err := c.nc.SetReadDeadline(deadline); err != nil {
			res.err = fmt.Errorf("set deadline: %w", err)
			return res
		}
		msg, err := fr.readMessage()
		if errors.Is(err, os.ErrDeadlineExceeded) && res.n > 0 && perConn == 0 {
			return res
		}
		if err != nil {
			res.err = fmt.Errorf("receive after %d message(s): %w", res.n, err)
			return res
		}
		now := time.Now()
		res.n++
		res.last = now
		if t, ok := parsePostMessage(msg); ok {
			res.latency.record(now.Sub(t))
		} else {
			res.bad++
		}
		deadline = now.Add(receiveGap)
		if deadline.After(hard) {
			deadline = hard
		}
	}
	return res
}

// collect waits for the readers that arm started and reports what they received.
func (lc *loadClient) collect() (clientReply, error) {
	rc := lc.receiving
	if rc == nil {
		return clientReply{}, errors.New("collect: not armed")
	}
	rc.wg.Wait()
	lc.receiving = nil
	r := clientReply{Conns: len(lc.conns)}
	for _, res := range rc.results {
		r.Received += res.n
		r.Mismatched += res.bad
		r.Latency.merge(res.latency)
		if res.n > 0 {
			r.Last = max(r.Last, res.last.UnixNano())
		}
		if res.err != nil {
			r.Failed++
			if r.FirstError == "" {
				r.FirstError = res.err.Error()
			}
		}
	}
	return r, nil
}

// stopReceiving ends an arm that was never collected.
func (lc *loadClient) stopReceiving() {
	if lc.receiving == nil {
		return
	}
	for _, c := range lc.conns {
		_ = c.nc.SetReadDeadline(time.Now())
	}
	lc.receiving.wg.Wait()
	lc.receiving = nil
}

// churn opens and at once closes connections from concurrency workers until d has passed or
// maxTotal were opened; Sent counts the completed upgrades and Latency their time.
func (lc *loadClient) churn(concurrency int, d time.Duration, maxTotal int) (clientReply, error) {
	if concurrency < 1 || concurrency > 1024 || d <= 0 || d > maxEchoDuration || maxTotal < 1 || maxTotal > maxChurn {
		return clientReply{}, fmt.Errorf("churn: bad concurrency %d, duration %s or maxTotal %d", concurrency, d, maxTotal)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+dialTimeout)
	defer cancel()
	return runWorkers(concurrency, d, maxTotal, func(k int) (func(), error) {
		nc, _, err := dialWS(ctx, lc.target, sourceIP(lc.srcOffset+k))
		if err != nil {
			return nil, err // counted as a failed connect
		}
		return func() { _ = nc.Close() }, nil
	})
}
