package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/wait"
)

func runCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

const goodConfig = `apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK, templates: { $default: "$input.body" } }
        routeResponseSelectionExpression: $default
    stages:
      - stageName: prod
`

func TestValidatePrintsAPIIDs(t *testing.T) {
	p := writeFile(t, "ok.yaml", goodConfig)
	out, err := runCommand(t, "validate", "--config", p)
	require.NoError(t, err)
	require.Contains(t, out, "chat\tWEBSOCKET")
	require.Contains(t, out, p+": OK")
}

func TestMalformedConfigNamesFileLineAndField(t *testing.T) {
	bad := strings.Replace(goodConfig, "integrationType: MOCK", "integrationType: NATS", 1)
	p := writeFile(t, "bad.yaml", bad)
	for _, cmd := range []string{"validate", "serve"} {
		_, err := runCommand(t, cmd, "--config", p)
		require.Error(t, err, cmd)
		require.Contains(t, err.Error(), p+":6:", cmd)
		require.Contains(t, err.Error(), "apis[0].routes[0].integration.integrationUri", cmd)
	}
}

func TestBadTemplateIsReportedAtItsField(t *testing.T) {
	bad := strings.Replace(goodConfig, `"$input.body"`, `"#if($x) never closed"`, 1)
	p := writeFile(t, "tmpl.yaml", bad)
	_, err := runCommand(t, "validate", "--config", p)
	require.Error(t, err)
	require.Contains(t, err.Error(), p+":")
	require.Contains(t, err.Error(), "apis[0].routes[0].integration.templates")
}

func TestUnknownFieldIsRejected(t *testing.T) {
	p := writeFile(t, "typo.yaml", strings.Replace(goodConfig, "routeKey:", "routeKye:", 1))
	_, err := runCommand(t, "validate", "--config", p)
	require.Error(t, err)
	require.Contains(t, err.Error(), p+":5:9: apis[0].routes[0].routeKye: unknown field")
}

func TestMissingConfigFile(t *testing.T) {
	_, err := runCommand(t, "validate", "--config", "/nonexistent/portico.yaml")
	require.ErrorContains(t, err, "/nonexistent/portico.yaml")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeDrainsOnSIGTERM runs the real binary: it serves, answers /healthz and /readyz, and on
// SIGTERM closes clients with 1001 and exits 0.
func TestServeDrainsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cfg := writeFile(t, "serve.yaml", goodConfig)
	listen, admin := freeAddr(t), freeAddr(t)
	srv := exec.Command(bin, "serve", "--config", cfg, "--listen", listen, "--admin", admin,
		"--nats-listen", "127.0.0.1:0", "--node-id", "test-node")
	stderr := &lockedBuffer{}
	srv.Stderr = stderr
	require.NoError(t, srv.Start())
	t.Cleanup(func() { _ = srv.Process.Kill() })

	waitReady(t, admin, stderr)
	resp, err := http.Get("http://" + admin + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, fmt.Sprintf("ws://%s/prod", listen), nil)
	require.NoError(t, err)
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte("hi")))
	_, got, err := c.Read(ctx)
	require.NoError(t, err)
	require.Equal(t, "hi", string(got))

	require.NoError(t, srv.Process.Signal(syscall.SIGTERM))
	_, _, err = c.Read(ctx)
	require.Equal(t, websocket.StatusGoingAway, websocket.CloseStatus(err), "client close: %v", err)
	require.NoError(t, srv.Wait(), "exit status; stderr: %s", stderr.String())
}

// lockedBuffer collects a child process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the portico binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portico-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "portico")
		build := exec.Command("go", "build", "-o", builtBin, ".")
		build.Stderr = os.Stderr
		buildErr = build.Run()
	})
	require.NoError(t, buildErr)
	return builtBin
}

// startServe runs `portico serve` with args plus free listen and admin addresses, waits for /readyz
// and returns the client address and the process.
func startServe(t *testing.T, args ...string) (string, *exec.Cmd, *lockedBuffer) {
	t.Helper()
	listen, admin := freeAddr(t), freeAddr(t)
	args = append([]string{"serve", "--listen", listen, "--admin", admin, "--nats-listen", "127.0.0.1:0"}, args...)
	srv := exec.Command(buildBinary(t), args...)
	stderr := &lockedBuffer{}
	srv.Stderr = stderr
	require.NoError(t, srv.Start())
	t.Cleanup(func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		_ = srv.Wait()
	})
	waitReady(t, admin, stderr)
	return listen, srv, stderr
}

// waitReady waits until the node's admin listener answers /readyz with 200.
func waitReady(t *testing.T, admin string, stderr *lockedBuffer) {
	t.Helper()
	wait.For(t, 20*time.Second, 20*time.Millisecond, func() error {
		resp, err := http.Get("http://" + admin + "/readyz")
		if err != nil {
			return fmt.Errorf("%w; log: %s", err, stderr.String())
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("readyz %d; log: %s", resp.StatusCode, stderr.String())
		}
		return nil
	})
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestQuickCreateTargetProxiesEveryRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "backend %s %s", r.Method, r.URL.RequestURI())
	}))
	t.Cleanup(backend.Close)
	listen, _, _ := startServe(t, "--target", backend.URL)
	status, body := get(t, "http://"+listen+"/pets/7?x=1")
	require.Equal(t, 200, status)
	require.Equal(t, "backend GET /pets/7?x=1", body)
	status, body = get(t, "http://"+listen+"/")
	require.Equal(t, 200, status)
	require.Equal(t, "backend GET /", body)
}

const versionConfig = `apis:
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /version
        integration: { integrationType: MOCK, templates: { $default: "%s" } }
`

func TestConfigReloadsOnSIGHUPAndWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cfg := writeFile(t, "site.yaml", fmt.Sprintf(versionConfig, "one"))
	listen, srv, stderr := startServe(t, "--config", cfg, "--watch")
	status, body := get(t, "http://"+listen+"/version")
	require.Equal(t, 200, status)
	require.Equal(t, "one", body)

	waitFor := func(want string) {
		t.Helper()
		wait.For(t, 15*time.Second, 50*time.Millisecond, func() error {
			if _, body := get(t, "http://"+listen+"/version"); body != want {
				return fmt.Errorf("answer is %q, not %q; log: %s", body, want, stderr.String())
			}
			return nil
		})
	}
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(versionConfig, "two")), 0o600))
	waitFor("two") // --watch noticed the change

	// A broken file is reported and the running deployment stays.
	require.NoError(t, os.WriteFile(cfg, []byte("apis: [ { name: x, protocolType: NOPE } ]"), 0o600))
	require.NoError(t, srv.Process.Signal(syscall.SIGHUP))
	wait.For(t, 15*time.Second, 20*time.Millisecond, func() error {
		if !strings.Contains(stderr.String(), "reload failed") {
			return fmt.Errorf("no reload error logged: %s", stderr.String())
		}
		return nil
	})
	_, body = get(t, "http://"+listen+"/version")
	require.Equal(t, "two", body)

	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(versionConfig, "three")), 0o600))
	require.NoError(t, srv.Process.Signal(syscall.SIGHUP))
	waitFor("three")
}

// TestServeExitsOneWhenListenAddressIsTaken runs the real binary with its client address in use:
// one line naming the address and the cause, exit status 1, and no embedded NATS store left behind.
func TestServeExitsOneWhenListenAddressIsTaken(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = taken.Close() })
	addr := taken.Addr().String()
	tmp := t.TempDir()
	cfg := writeFile(t, "serve.yaml", goodConfig)
	srv := exec.Command(bin, "serve", "--config", cfg, "--listen", addr, "--admin", freeAddr(t),
		"--nats-listen", "127.0.0.1:0")
	srv.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	err = srv.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "stderr: %s", stderr.String())
	require.Equal(t, 1, exit.ExitCode(), "stderr: %s", stderr.String())
	out := strings.TrimSpace(stderr.String())
	require.NotContains(t, out, "\n", "one line")
	require.Contains(t, out, addr)
	require.Contains(t, out, "address already in use")
	left, err := filepath.Glob(filepath.Join(tmp, "portico-nats-*"))
	require.NoError(t, err)
	require.Empty(t, left)
}

// TestServeSurvivesEarlySIGHUP sends SIGHUP while the node is still starting (as soon as the serve
// command's first log line is out, before NATS and the listeners run): the process keeps running
// and serves /healthz.
func TestServeSurvivesEarlySIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cfg := writeFile(t, "serve.yaml", "node: { logLevel: debug }\n"+goodConfig)
	admin := freeAddr(t)
	srv := exec.Command(bin, "serve", "--config", cfg, "--listen", freeAddr(t), "--admin", admin,
		"--nats-listen", "127.0.0.1:0")
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	srv.Stderr = io.MultiWriter(stderr, pw)
	require.NoError(t, srv.Start())
	exited := make(chan error, 1)
	t.Cleanup(func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		<-exited
	})
	go func() { exited <- srv.Wait(); _ = pw.Close() }()
	firstLine := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		firstLine <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	require.Contains(t, <-firstLine, "starting node")
	require.NoError(t, srv.Process.Signal(syscall.SIGHUP))
	wait.For(t, 20*time.Second, 20*time.Millisecond, func() error {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("exited after SIGHUP: %v; stderr: %s", err, stderr.String())
		default:
		}
		resp, err := http.Get("http://" + admin + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("healthz %d", resp.StatusCode)
		}
		return nil
	})
	require.NoError(t, srv.Process.Signal(syscall.SIGHUP))
	status, _ := get(t, "http://"+admin+"/healthz")
	require.Equal(t, 200, status)
}
