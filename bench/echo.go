package main

import (
	"errors"
	"fmt"
	"time"
)

// maxEchoMessages bounds the messages of one echo point across all its connections.
const maxEchoMessages = 20_000_000

// echoFigure is what one server did in one echo point.
type echoFigure struct {
	rate     float64 // replies per second
	p50, p99 time.Duration
	cpu      time.Duration // server CPU time per reply
	reply    clientReply
}

// runEcho measures messages per second and round-trip latency through the echo route (Portico's
// MOCK $default, the baseline's bare echo), closed loop, at each connection count and message size.
func runEcho(e *env) error {
	counts := e.opt.conns
	if counts == nil {
		counts = []int{1, 100, 1000}
		if e.opt.quick {
			counts = []int{100}
		}
	}
	sizes := e.opt.sizes
	if sizes == nil {
		sizes = []int{64, 4096}
		if e.opt.quick {
			sizes = []int{64}
		}
	}
	p, b, err := e.startServers()
	if err != nil {
		return err
	}
	err = echoPoints(e, p, b, counts, sizes)
	return errors.Join(err, p.stop(), b.stop())
}

func echoPoints(e *env, p, b *serverProc, counts, sizes []int) error {
	for _, n := range counts {
		for _, size := range sizes {
			e.logf("echo: %d connections, %d B, %s", n, size, e.opt.duration)
			load := loadAvg()
			bf, err := echoPoint(e, b, n, size)
			if err != nil {
				return err
			}
			pf, err := echoPoint(e, p, n, size)
			if err != nil {
				return err
			}
			params := map[string]any{"conns": n, "load1": load, "bytes": size, "seconds": e.opt.duration.Seconds()}
			for _, f := range []struct {
				name *echoFigure
				srv  string
			}{{&pf, portico}, {&bf, baseName}} {
				if f.name.reply.Failed > 0 || f.name.reply.Mismatched > 0 {
					e.rep.fail("echo %s conns=%d bytes=%d: %d connection(s) failed, %d reply(ies) differed; first error: %s",
						f.srv, n, size, f.name.reply.Failed, f.name.reply.Mismatched, f.name.reply.FirstError)
				}
			}
			us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
			for _, m := range []measurement{
				newMeasurement("echo", "messages-per-second", "msg/s (higher is better)", pf.rate, bf.rate, params),
				newMeasurement("echo", "rtt-p50", "µs (lower is better)", us(pf.p50), us(bf.p50), params),
				newMeasurement("echo", "rtt-p99", "µs (lower is better)", us(pf.p99), us(bf.p99), params),
				newMeasurement("echo", "server-cpu-per-message", "µs CPU/msg (lower is better)", us(pf.cpu), us(bf.cpu), params),
			} {
				if err := e.rep.add(m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// echoPoint opens n connections to s, warms up, runs the closed loop for the configured time and
// closes the connections.
func echoPoint(e *env, s *serverProc, n, size int) (echoFigure, error) {
	cs, err := openClients(e.self, s.wsURL, n)
	defer cs.close()
	if err != nil {
		return echoFigure{}, fmt.Errorf("%s: %w", s.name, err)
	}
	perConn := max(1, maxEchoMessages/n)
	warm := min(e.opt.duration/4, time.Second)
	if _, err := cs.echo(size, warm, perConn); err != nil {
		return echoFigure{}, fmt.Errorf("%s warm-up: %w", s.name, err)
	}
	cpu0, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return echoFigure{}, err
	}
	r, err := cs.echo(size, e.opt.duration, perConn)
	if err != nil {
		return echoFigure{}, fmt.Errorf("%s: %w", s.name, err)
	}
	cpu1, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return echoFigure{}, err
	}
	if err := s.alive(); err != nil {
		return echoFigure{}, err
	}
	f := echoFigure{reply: r, p50: r.Latency.quantile(0.50), p99: r.Latency.quantile(0.99)}
	if r.Elapsed > 0 {
		f.rate = float64(r.Latency.N) / r.Elapsed.Seconds()
	}
	if r.Latency.N > 0 {
		f.cpu = (cpu1 - cpu0) / time.Duration(r.Latency.N)
	}
	return f, nil
}
