package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
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
	bad := strings.Replace(goodConfig, `"$input.body"`, `"#if($x) y #end"`, 1)
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
	bin := filepath.Join(t.TempDir(), "portico")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	cfg := writeFile(t, "serve.yaml", goodConfig)
	listen, admin := freeAddr(t), freeAddr(t)
	srv := exec.Command(bin, "serve", "--config", cfg, "--listen", listen, "--admin", admin,
		"--nats-listen", "127.0.0.1:0", "--node-id", "test-node")
	stderr := &lockedBuffer{}
	srv.Stderr = stderr
	require.NoError(t, srv.Start())
	t.Cleanup(func() { _ = srv.Process.Kill() })

	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + admin + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node not ready: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
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
