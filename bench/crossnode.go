package main

import (
	"errors"
	"fmt"
	"time"
)

// crossNode measures the delivery latency of posts made on one node to a connection on another:
// a second Portico node joins the first one's embedded NATS server, a client connects to the
// second, and posts go one at a time through the first node's HTTP API. The baseline is the same
// posts through the second node's own HTTP API.
func crossNode(e *env, a *serverProc) error {
	count := 2000
	if e.opt.quick {
		count = 500
	}
	e.logf("post: cross-node latency, %d posts one at a time", count)
	b, err := startPorticoWith(e.portico, e.dir, "portico-b", postConfig(), "--nats", a.natsURL)
	if err != nil {
		return err
	}
	err = crossNodePoint(e, a, b, count)
	return errors.Join(err, b.stop())
}

func crossNodePoint(e *env, a, b *serverProc, count int) error {
	r, err := openReceivers(e, b, 1, true)
	defer r.cs.close()
	if err != nil {
		return err
	}
	load := loadAvg()
	within := e.opt.duration + receiveGrace
	figures := make([]postFigure, 2)
	for i, via := range []*serverProc{a, b} {
		f, err := r.deliver(0, within, func() (uint64, time.Time, error) {
			return poster(e, b, clientRequest{Mode: postHTTP, URL: "http://" + via.addr + "/prod/@connections", IDs: r.ids,
				Size: postBytes, Concurrency: 1, Duration: e.opt.duration, MaxTotal: count})
		})
		if err != nil {
			return fmt.Errorf("cross-node via %s: %w", via.name, err)
		}
		figures[i] = f
	}
	cross, same := figures[0], figures[1]
	if err := checkDelivery(e, "cross-node", cross, same); err != nil {
		return err
	}
	params := map[string]any{"posts": cross.sent, "bytes": postBytes, "load1": load, "baseline": "same-node"}
	for _, m := range []measurement{
		newMeasurement("post", "cross-node-delivery-p50", "µs (lower is better)", us(cross.latency.quantile(0.5)), us(same.latency.quantile(0.5)), params),
		newMeasurement("post", "cross-node-delivery-p99", "µs (lower is better)", us(cross.latency.quantile(0.99)), us(same.latency.quantile(0.99)), params),
	} {
		if err := e.rep.add(m); err != nil {
			return err
		}
	}
	return nil
}
