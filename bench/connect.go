package main

import (
	"errors"
	"fmt"
	"time"
)

// connectConcurrency is the number of connections the connect scenario's client opens at once.
const connectConcurrency = 32

// connectFigure is what one server did in the connect scenario.
type connectFigure struct {
	rate     float64 // completed upgrades per second
	p50, p99 time.Duration
	cpu      time.Duration // server CPU time per connection
	reply    clientReply
}

// runConnect measures new connections per second: Portico runs its $connect route (MOCK) on every
// upgrade, the baseline only upgrades. Each connection is closed as soon as it is open.
func runConnect(e *env) error {
	p, b, err := e.startServers()
	if err != nil {
		return err
	}
	err = connectPoint(e, p, b)
	return errors.Join(err, p.stop(), b.stop())
}

func connectPoint(e *env, p, b *serverProc) error {
	e.logf("connect: %d at a time, %s", connectConcurrency, e.opt.duration)
	load := loadAvg()
	bf, err := churnPoint(e, b)
	if err != nil {
		return err
	}
	pf, err := churnPoint(e, p)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		f   *connectFigure
		srv string
	}{{&pf, portico}, {&bf, baseName}} {
		if f.f.reply.Failed > 0 {
			e.rep.fail("connect %s: %d connection(s) failed; first error: %s", f.srv, f.f.reply.Failed, f.f.reply.FirstError)
		}
	}
	params := map[string]any{"concurrency": connectConcurrency, "load1": load, "seconds": e.opt.duration.Seconds()}
	for _, m := range []measurement{
		newMeasurement("connect", "connections-per-second", "conn/s (higher is better)", pf.rate, bf.rate, params),
		newMeasurement("connect", "connect-p50", "µs (lower is better)", us(pf.p50), us(bf.p50), params),
		newMeasurement("connect", "connect-p99", "µs (lower is better)", us(pf.p99), us(bf.p99), params),
		newMeasurement("connect", "server-cpu-per-connection", "µs CPU/conn (lower is better)", us(pf.cpu), us(bf.cpu), params),
	} {
		if err := e.rep.add(m); err != nil {
			return err
		}
	}
	return nil
}

// churnPoint warms up, then opens and closes connections to s for the configured time.
func churnPoint(e *env, s *serverProc) (connectFigure, error) {
	c, err := startClient(e.self, s.wsURL, 0)
	if err != nil {
		return connectFigure{}, err
	}
	defer c.close()
	req := clientRequest{Op: "churn", Concurrency: connectConcurrency, Duration: min(e.opt.duration/4, time.Second), MaxTotal: maxChurn}
	if _, err := c.call(req, req.Duration+time.Minute); err != nil {
		return connectFigure{}, fmt.Errorf("%s warm-up: %w", s.name, err)
	}
	cpu0, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return connectFigure{}, err
	}
	req.Duration = e.opt.duration
	r, err := c.call(req, req.Duration+time.Minute)
	if err != nil {
		return connectFigure{}, fmt.Errorf("%s: %w", s.name, err)
	}
	cpu1, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return connectFigure{}, err
	}
	if err := s.alive(); err != nil {
		return connectFigure{}, err
	}
	f := connectFigure{reply: r, p50: r.Latency.quantile(0.5), p99: r.Latency.quantile(0.99)}
	if r.Elapsed > 0 {
		f.rate = float64(r.Sent) / r.Elapsed.Seconds()
	}
	if r.Sent > 0 {
		f.cpu = (cpu1 - cpu0) / time.Duration(r.Sent)
	}
	return f, nil
}

// us converts d to microseconds.
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
