package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Names of the two servers every figure compares.
const (
	portico  = "portico"
	baseName = "baseline"
)

// stopTimeout bounds how long a server may take to exit after SIGTERM.
const stopTimeout = 30 * time.Second

// serverProc is a server under measurement running as its own process.
type serverProc struct {
	name       string
	cmd        *exec.Cmd
	wsURL      string
	adminURL   string
	connMetric string
	addr       string // client traffic address, host:port
	natsURL    string // Portico's embedded NATS server, when it runs one
	stderr     *tailBuffer
	exited     chan struct{}
	exitErr    error
	http       *http.Client
}

// porticoConfig is the API every Portico figure runs: a MOCK echo on $default.
const porticoConfig = `node: { logLevel: warn }
websocket: { idleTimeout: 1h }
apis:
  - name: bench
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    routes:
      - routeKey: $connect
        integration: { integrationType: MOCK }
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`

// startPortico runs `portico serve` with porticoConfig on free loopback ports.
func startPortico(bin, dir string) (*serverProc, error) {
	return startPorticoWith(bin, dir, portico, porticoConfig)
}

// startPorticoWith runs `portico serve` with config (written to dir as name.yaml) on free loopback
// ports and its embedded NATS server, or, when extra holds --nats URL, joined to that NATS server.
func startPorticoWith(bin, dir, name, config string, extra ...string) (*serverProc, error) {
	cfg := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		return nil, fmt.Errorf("write %s config: %w", name, err)
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--config", cfg, "--listen", ports[0], "--admin", ports[1]}
	natsURL := ""
	if len(extra) == 0 {
		args = append(args, "--nats-listen", ports[2])
		natsURL = "nats://" + ports[2]
	}
	cmd := exec.Command(bin, append(args, extra...)...)
	s, err := startServer(name, cmd, "ws://"+ports[0]+"/prod", ports[1], "portico_connections")
	if err != nil {
		return nil, err
	}
	s.addr, s.natsURL = ports[0], natsURL
	return s, nil
}

// startBaselineProc runs this binary in -serve-baseline mode on free loopback ports.
// Extra flags add the hidden -fanout endpoint or select another hidden server mode.
func startBaselineProc(self string, extra ...string) (*serverProc, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-serve-baseline", "-listen", ports[0], "-admin", ports[1]}, extra...)
	s, err := startServer(baseName, exec.Command(self, args...), "ws://"+ports[0]+"/", ports[1], baselineConnMetric)
	if err != nil {
		return nil, err
	}
	s.addr = ports[0]
	return s, nil
}

func startServer(name string, cmd *exec.Cmd, wsURL, admin, connMetric string) (*serverProc, error) {
	s, err := launch(name, cmd, wsURL, admin, connMetric)
	if err != nil {
		return nil, err
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		_ = s.kill()
		return nil, err
	}
	return s, nil
}

// launch starts cmd as a server process without waiting for it to be ready.
func launch(name string, cmd *exec.Cmd, wsURL, admin, connMetric string) (*serverProc, error) {
	s := &serverProc{name: name, cmd: cmd, wsURL: wsURL, adminURL: "http://" + admin, connMetric: connMetric,
		stderr: &tailBuffer{max: 16 << 10}, exited: make(chan struct{}),
		http: &http.Client{Timeout: 10 * time.Second}}
	cmd.Stdout = io.Discard
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		s.exitErr = cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// waitReady polls /readyz until it answers 200, the process exits or timeout passes.
func (s *serverProc) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited before ready (%v): %s", s.name, s.exitErr, s.stderr.String())
		default:
		}
		resp, err := s.http.Get(s.adminURL + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after %s: %s", s.name, timeout, s.stderr.String())
}

// alive returns an error when the process has exited.
func (s *serverProc) alive() error {
	select {
	case <-s.exited:
		return fmt.Errorf("%s exited unexpectedly (%v): %s", s.name, s.exitErr, s.stderr.String())
	default:
		return nil
	}
}

// metrics returns the named unlabelled samples from the server's /metrics.
func (s *serverProc) metrics(names ...string) (map[string]float64, error) {
	resp, err := s.http.Get(s.adminURL + "/metrics")
	if err != nil {
		return nil, fmt.Errorf("%s metrics: %w", s.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("%s metrics: %w", s.name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s metrics: status %d", s.name, resp.StatusCode)
	}
	out := make(map[string]float64, len(names))
	for _, n := range names {
		v, ok := metricValue(body, n)
		if !ok {
			return nil, fmt.Errorf("%s metrics: no sample %s", s.name, n)
		}
		out[n] = v
	}
	return out, nil
}

// connections returns the server's own count of open WebSocket connections.
func (s *serverProc) connections() (int, error) {
	m, err := s.metrics(s.connMetric)
	if err != nil {
		return 0, err
	}
	return int(m[s.connMetric]), nil
}

// rss returns the server's resident set size in bytes.
func (s *serverProc) rss() (int64, error) { return readRSS(s.cmd.Process.Pid) }

// stop sends SIGTERM and waits for a clean exit; anything else is an error worth reporting.
func (s *serverProc) stop() error {
	if err := s.alive(); err != nil {
		return err
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop %s: %w", s.name, err)
	}
	select {
	case <-s.exited:
		if s.exitErr != nil {
			return fmt.Errorf("%s exited with %v after SIGTERM: %s", s.name, s.exitErr, s.stderr.String())
		}
		return nil
	case <-time.After(stopTimeout):
		_ = s.kill()
		return fmt.Errorf("%s did not exit within %s of SIGTERM; killed: %s", s.name, stopTimeout, s.stderr.String())
	}
}

// kill ends the process at once and waits for it.
func (s *serverProc) kill() error {
	err := s.cmd.Process.Kill()
	<-s.exited
	if errors.Is(err, os.ErrProcessDone) {
		return nil
	}
	return err
}

// freePorts returns n distinct loopback addresses with ports the kernel had free.
func freePorts(n int) ([]string, error) {
	lns := make([]net.Listener, 0, n)
	defer func() {
		for _, ln := range lns {
			_ = ln.Close()
		}
	}()
	out := make([]string, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().String())
	}
	return out, nil
}

// buildPortico builds ./cmd/portico of the module containing the working directory into dir.
func buildPortico(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "portico")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/portico")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build portico: %w: %s", err, out)
	}
	return bin, nil
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("module root: no go.mod above the working directory; pass -portico")
		}
		dir = parent
	}
}

// tailBuffer keeps the last max bytes written to it; safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
