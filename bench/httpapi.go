package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"time"
)

// httpConcurrency is the number of requests the http scenario's client keeps in flight.
const httpConcurrency = 64

// httpAPIConfig is an HTTP API proxying every request to the backend at addr.
func httpAPIConfig(addr string) string {
	return `node: { logLevel: warn }
apis:
  - name: web
    protocolType: HTTP
    routes:
      - routeKey: ANY /{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: "http://` + addr + `/{proxy}" }
      - routeKey: $default
        integration: { integrationType: HTTP_PROXY, integrationUri: "http://` + addr + `/" }
`
}

// httpFigure is what one path did in the http scenario.
type httpFigure struct {
	rate     float64
	p50, p99 time.Duration
	cpu      time.Duration // CPU of the process in front of the backend (of the backend, direct)
	reply    clientReply
}

// runHTTP measures requests per second and latency through an HTTP API route (ANY /{proxy+} →
// HTTP_PROXY) against the same backend called directly and behind httputil.ReverseProxy.
func runHTTP(e *env) error {
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	backend, err := startServer("backend", exec.Command(e.self, "-serve-backend", "-listen", ports[0]), "", ports[0], "")
	if err != nil {
		return err
	}
	proxy, err := startServer("reverseproxy", exec.Command(e.self, "-serve-proxy", "-listen", ports[1],
		"-upstream", "http://"+ports[0], "-idle-per-host", strconv.Itoa(httpConcurrency)), "", ports[1], "")
	if err != nil {
		return errors.Join(err, backend.stop())
	}
	p, err := startPorticoWith(e.portico, e.dir, portico, httpAPIConfig(ports[0]))
	if err != nil {
		return errors.Join(err, proxy.stop(), backend.stop())
	}
	err = httpPoint(e, p, proxy, backend)
	return errors.Join(err, p.stop(), proxy.stop(), backend.stop())
}

func httpPoint(e *env, p, proxy, backend *serverProc) error {
	e.logf("http: %d in flight, %s", httpConcurrency, e.opt.duration)
	load := loadAvg()
	const path = "/bench/items/7"
	direct, err := httpLoadPoint(e, backend, backend.adminURL+path)
	if err != nil {
		return err
	}
	rp, err := httpLoadPoint(e, proxy, proxy.adminURL+path)
	if err != nil {
		return err
	}
	pf, err := httpLoadPoint(e, p, "http://"+p.addr+path)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		f    *httpFigure
		name string
	}{{&pf, portico}, {&rp, proxy.name}, {&direct, backend.name}} {
		if f.f.reply.Failed > 0 {
			e.rep.fail("http %s: %d request(s) failed; first error: %s", f.name, f.f.reply.Failed, f.f.reply.FirstError)
		}
	}
	for _, base := range []struct {
		name string
		f    httpFigure
	}{{"direct", direct}, {"httputil.ReverseProxy", rp}} {
		params := map[string]any{"concurrency": httpConcurrency, "seconds": e.opt.duration.Seconds(), "load1": load, "baseline": base.name}
		ms := []measurement{
			newMeasurement("http", "requests-per-second", "req/s (higher is better)", pf.rate, base.f.rate, params),
			newMeasurement("http", "latency-p50", "µs (lower is better)", us(pf.p50), us(base.f.p50), params),
			newMeasurement("http", "latency-p99", "µs (lower is better)", us(pf.p99), us(base.f.p99), params),
		}
		if base.name != "direct" {
			ms = append(ms, newMeasurement("http", "proxy-cpu-per-request", "µs CPU/req (lower is better)", us(pf.cpu), us(base.f.cpu), params))
		}
		for _, m := range ms {
			if err := e.rep.add(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// httpLoadPoint warms up, then sends GET url for the configured time and measures s's CPU.
func httpLoadPoint(e *env, s *serverProc, url string) (httpFigure, error) {
	c, err := startClient(e.self, "ws://127.0.0.1:1/", 0)
	if err != nil {
		return httpFigure{}, err
	}
	defer c.close()
	req := clientRequest{Op: "http", URL: url, Concurrency: httpConcurrency, Duration: min(e.opt.duration/4, time.Second), MaxTotal: maxEchoMessages}
	if _, err := c.call(req, req.Duration+time.Minute); err != nil {
		return httpFigure{}, fmt.Errorf("%s warm-up: %w", s.name, err)
	}
	cpu0, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return httpFigure{}, err
	}
	req.Duration = e.opt.duration
	r, err := c.call(req, req.Duration+time.Minute)
	if err != nil {
		return httpFigure{}, fmt.Errorf("%s: %w", s.name, err)
	}
	cpu1, err := readCPU(s.cmd.Process.Pid)
	if err != nil {
		return httpFigure{}, err
	}
	if err := s.alive(); err != nil {
		return httpFigure{}, err
	}
	f := httpFigure{reply: r, p50: r.Latency.quantile(0.5), p99: r.Latency.quantile(0.99)}
	if r.Elapsed > 0 {
		f.rate = float64(r.Sent) / r.Elapsed.Seconds()
	}
	if r.Sent > 0 {
		f.cpu = (cpu1 - cpu0) / time.Duration(r.Sent)
	}
	return f, nil
}
