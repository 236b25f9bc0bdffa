package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// natsEchoConfig routes every message to the NATS responder and sends its reply back.
const natsEchoConfig = `node: { logLevel: warn }
websocket: { idleTimeout: 1h }
apis:
  - name: bench
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    routes:
      - routeKey: $default
        integration: { integrationType: NATS, integrationUri: ` + echoSubject + ` }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`

// runNATS measures echo through a NATS integration against the bridge (the bare transport making
// one NATS request per message), both through Portico's embedded NATS server to one responder
// process, and the responder's request-reply rate without any WebSocket, for scale.
func runNATS(e *env) error {
	counts := e.opt.conns
	if counts == nil {
		counts = []int{100}
	}
	sizes := e.opt.sizes
	if sizes == nil {
		sizes = []int{64, 4096}
		if e.opt.quick {
			sizes = []int{64}
		}
	}
	p, err := startPorticoWith(e.portico, e.dir, portico, natsEchoConfig)
	if err != nil {
		return err
	}
	r, err := startResponder(e.self, p.natsURL)
	if err != nil {
		return errors.Join(err, p.stop())
	}
	b, err := startBaselineProc(e.self, "-nats", p.natsURL)
	if err != nil {
		return errors.Join(err, r.stop(), p.stop())
	}
	b.name = "bridge"
	err = natsPoints(e, p, b, counts, sizes)
	return errors.Join(err, b.stop(), r.stop(), p.stop())
}

func natsPoints(e *env, p, b *serverProc, counts, sizes []int) error {
	for _, n := range counts {
		for _, size := range sizes {
			e.logf("nats: %d connections, %d B, %s", n, size, e.opt.duration)
			load := loadAvg()
			// The bridge's messages also cost the NATS server inside the Portico process: count it.
			pcpu0, err := readCPU(p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			bf, err := echoPoint(e, b, n, size)
			if err != nil {
				return err
			}
			pcpu1, err := readCPU(p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			if bf.reply.Latency.N > 0 {
				bf.cpu += (pcpu1 - pcpu0) / time.Duration(bf.reply.Latency.N)
			}
			pf, err := echoPoint(e, p, n, size)
			if err != nil {
				return err
			}
			raw, err := rawRequestReply(e, p.natsURL, n, size)
			if err != nil {
				return err
			}
			for _, f := range []struct {
				f   *echoFigure
				srv string
			}{{&pf, portico}, {&bf, b.name}} {
				if f.f.reply.Failed > 0 || f.f.reply.Mismatched > 0 {
					e.rep.fail("nats %s conns=%d bytes=%d: %d connection(s) failed, %d reply(ies) differed; first error: %s",
						f.srv, n, size, f.f.reply.Failed, f.f.reply.Mismatched, f.f.reply.FirstError)
				}
			}
			params := map[string]any{"conns": n, "load1": load, "bytes": size, "seconds": e.opt.duration.Seconds(),
				"baseline": "bridge", "natsRequestReplyPerSecond": round(raw)}
			for _, m := range []measurement{
				newMeasurement("nats", "messages-per-second", "msg/s (higher is better)", pf.rate, bf.rate, params),
				newMeasurement("nats", "rtt-p50", "µs (lower is better)", us(pf.p50), us(bf.p50), params),
				newMeasurement("nats", "rtt-p99", "µs (lower is better)", us(pf.p99), us(bf.p99), params),
				newMeasurement("nats", "server-cpu-per-message", "µs CPU/msg (lower is better)", us(pf.cpu), us(bf.cpu), params),
			} {
				if err := e.rep.add(m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// rawRequestReply runs n (at most maxLoadConcurrency) concurrent closed loops of NATS requests to the responder, with events of
// the bridge's shape around size-byte messages, and returns the replies per second.
func rawRequestReply(e *env, natsURL string, n, size int) (float64, error) {
	c, err := startClient(e.self, "ws://127.0.0.1:1/", 0)
	if err != nil {
		return 0, err
	}
	defer c.close()
	req := clientRequest{Op: "nats", URL: natsURL, Size: size, Concurrency: min(n, maxLoadConcurrency), Duration: min(e.opt.duration/4, time.Second), MaxTotal: maxEchoMessages}
	if _, err := c.call(req, req.Duration+time.Minute); err != nil {
		return 0, fmt.Errorf("nats request-reply warm-up: %w", err)
	}
	req.Duration = e.opt.duration
	r, err := c.call(req, req.Duration+time.Minute)
	if err != nil {
		return 0, fmt.Errorf("nats request-reply: %w", err)
	}
	if r.Failed > 0 {
		e.rep.fail("nats request-reply: %d request(s) failed; first error: %s", r.Failed, r.FirstError)
	}
	if r.Elapsed <= 0 {
		return 0, nil
	}
	return float64(r.Sent) / r.Elapsed.Seconds(), nil
}

// startResponder starts the NATS echo backend as its own process and waits until it answers.
func startResponder(self, natsURL string) (*serverProc, error) {
	s, err := launch("responder", exec.Command(self, "-nats-responder", "-nats", natsURL), "", "", "")
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(natsURL, nats.Name("bench"))
	if err != nil {
		_ = s.kill()
		return nil, fmt.Errorf("responder check: %w", err)
	}
	defer nc.Close()
	ev := appendBridgeEvent(nil, &bridgeConn{id: newConnectionID()}, []byte("ping"), time.Now())
	deadline := time.Now().Add(30 * time.Second)
	for {
		m, err := nc.Request(echoSubject, ev, time.Second)
		if err == nil && strings.Contains(string(m.Data), `"body":"ping"`) {
			return s, nil
		}
		if aerr := s.alive(); aerr != nil || time.Now().After(deadline) {
			_ = s.kill()
			return nil, errors.Join(fmt.Errorf("responder not answering: %w", err), aerr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
