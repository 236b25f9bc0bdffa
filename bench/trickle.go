package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Shape of the trickling clients, the numbers of the issue that measured the problem: half send
// the first byte of a frame's header and nothing more, half trickle a 125-byte text frame one byte
// every trickleTick (≈5 B/s each), frame after frame.
const (
	trickleShare   = 100 // one connection in trickleShare trickles
	trickleTick    = 200 * time.Millisecond
	trickleMessage = 125
)

// runTrickle measures echo throughput while 1% of the connections hold partial frames, against
// the same connections' echo with no trickling client, on one Portico node in one run.
func runTrickle(e *env) error {
	counts := e.opt.conns
	if counts == nil {
		counts = []int{1000}
	}
	sizes := e.opt.sizes
	if sizes == nil {
		sizes = []int{64}
	}
	p, err := startPortico(e.portico, e.dir)
	if err != nil {
		return err
	}
	err = tricklePoints(e, p, counts, sizes)
	return errors.Join(err, p.stop())
}

func tricklePoints(e *env, p *serverProc, counts, sizes []int) error {
	for _, n := range counts {
		k := max(1, n/trickleShare)
		for _, size := range sizes {
			e.logf("trickle: %d connections, %d of them trickling, %d B, %s", n, k, size, e.opt.duration)
			load := loadAvg()
			without, with, err := tricklePoint(e, p, n-k, k, size)
			if err != nil {
				return err
			}
			for _, f := range []struct {
				f    *echoFigure
				name string
			}{{&with, "with tricklers"}, {&without, "without tricklers"}} {
				if f.f.reply.Failed > 0 || f.f.reply.Mismatched > 0 {
					e.rep.fail("trickle %s conns=%d bytes=%d: %d connection(s) failed, %d reply(ies) differed; first error: %s",
						f.name, n, size, f.f.reply.Failed, f.f.reply.Mismatched, f.f.reply.FirstError)
				}
			}
			params := map[string]any{"conns": n, "trickling": k, "load1": load, "bytes": size,
				"seconds": e.opt.duration.Seconds(), "baseline": "no-tricklers"}
			for _, m := range []measurement{
				newMeasurement("trickle", "messages-per-second", "msg/s (higher is better)", with.rate, without.rate, params),
				newMeasurement("trickle", "rtt-p50", "µs (lower is better)", us(with.p50), us(without.p50), params),
				newMeasurement("trickle", "rtt-p99", "µs (lower is better)", us(with.p99), us(without.p99), params),
			} {
				if err := e.rep.add(m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// tricklePoint opens n echo connections to s and measures their closed loop twice: first alone,
// then while k more connections trickle.
func tricklePoint(e *env, s *serverProc, n, k, size int) (without, with echoFigure, err error) {
	cs, err := openClients(e.self, s.wsURL, n)
	defer cs.close()
	if err != nil {
		return without, with, fmt.Errorf("%s: %w", s.name, err)
	}
	perConn := max(1, maxEchoMessages/n)
	warm := min(e.opt.duration/4, time.Second)
	if _, err := cs.echo(size, warm, perConn); err != nil {
		return without, with, fmt.Errorf("%s warm-up: %w", s.name, err)
	}
	if without, err = measureEcho(s, cs, size, e.opt.duration, perConn); err != nil {
		return without, with, err
	}

	tc, err := startClient(e.self, s.wsURL, maxServerConns-k)
	if err != nil {
		return without, with, err
	}
	defer tc.close()
	for _, op := range []clientRequest{{Op: "connect", N: k}, {Op: "trickle"}} {
		r, err := tc.call(op, connectDeadline+time.Minute)
		if err == nil && r.Failed > 0 {
			err = fmt.Errorf("%d failed: %s", r.Failed, r.FirstError)
		}
		if err != nil {
			return without, with, fmt.Errorf("tricklers %s: %w", op.Op, err)
		}
	}
	with, err = measureEcho(s, cs, size, e.opt.duration, perConn)
	if err != nil {
		return without, with, err
	}
	// The tricklers must still be connected: the point is that they are served, not closed.
	r, err := tc.call(clientRequest{Op: "trickled"}, time.Minute)
	if err == nil && r.Failed > 0 {
		err = fmt.Errorf("%d of %d trickling connections failed: %s", r.Failed, k, r.FirstError)
	}
	return without, with, err
}

// measureEcho runs one closed loop on cs and returns the figures of s.
func measureEcho(s *serverProc, cs clients, size int, d time.Duration, perConn int) (echoFigure, error) {
	cpu0, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return echoFigure{}, err
	}
	r, err := cs.echo(size, d, perConn)
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

// trickling is the load client's trickle op in progress: one goroutine paces every connection.
type trickling struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	err  error // the first write that failed
	n    int   // connections whose write failed
}

// trickle starts trickling on every connection of the client: even ones send the first byte of a
// frame header and stop, odd ones send a 125-byte text frame one byte per tick, frame after frame
// (their echoes stay unread in the socket). It returns once every connection has sent its first
// byte; trickled reports on them, closeAll stops them.
func (lc *loadClient) trickle() (clientReply, error) {
	if lc.trickling != nil {
		return clientReply{}, errors.New("trickle: already trickling")
	}
	frame := maskedTextFrame(echoPayload(trickleMessage), [4]byte{0x12, 0x34, 0x56, 0x78})
	tr := &trickling{stop: make(chan struct{}), done: make(chan struct{})}
	conns := lc.conns
	write := func(i int, b []byte) {
		if _, err := conns[i].nc.Write(b); err != nil {
			tr.mu.Lock()
			tr.n++
			if tr.err == nil {
				tr.err = err
			}
			tr.mu.Unlock()
		}
	}
	for i := range conns {
		_ = conns[i].nc.SetWriteDeadline(time.Time{})
		write(i, frame[:1])
	}
	lc.trickling = tr
	go func() {
		defer close(tr.done)
		ticker := time.NewTicker(trickleTick)
		defer ticker.Stop()
		for pos := 1; ; pos = (pos + 1) % len(frame) {
			select {
			case <-ticker.C:
			case <-tr.stop:
				return
			}
			for i := 1; i < len(conns); i += 2 {
				write(i, frame[pos:pos+1])
			}
		}
	}()
	return clientReply{Conns: len(conns)}, nil
}

// trickled reports the trickling connections whose writes failed (the server closed them).
func (lc *loadClient) trickled() (clientReply, error) {
	tr := lc.trickling
	if tr == nil {
		return clientReply{}, errors.New("trickled: not trickling")
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	r := clientReply{Conns: len(lc.conns), Failed: tr.n}
	if tr.err != nil {
		r.FirstError = tr.err.Error()
	}
	return r, nil
}

// stopTrickling ends the trickle op, if one runs, and waits for its goroutine.
func (lc *loadClient) stopTrickling() {
	if tr := lc.trickling; tr != nil {
		close(tr.stop)
		<-tr.done
		lc.trickling = nil
	}
}
