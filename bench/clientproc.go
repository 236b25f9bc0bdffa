package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// clientProc is a load client process (this binary in -client mode) seen from the benchmark.
type clientProc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	stderr *tailBuffer
	exited chan struct{}
}

// startClient starts a load client against target whose source addresses start at srcOffset.
func startClient(self, target string, srcOffset int) (*clientProc, error) {
	cmd := exec.Command(self, "-client", "-target", target, "-src-offset", strconv.Itoa(srcOffset))
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("client stdin: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("client stdout: %w", err)
	}
	c := &clientProc{cmd: cmd, in: in, out: bufio.NewScanner(out), stderr: &tailBuffer{max: 8 << 10}, exited: make(chan struct{})}
	c.out.Buffer(make([]byte, 0, 64<<10), 16<<20)
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start client: %w", err)
	}
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

// call sends one command and waits up to timeout for its reply; on timeout the client is killed.
func (c *clientProc) call(req clientRequest, timeout time.Duration) (clientReply, error) {
	line, err := json.Marshal(req)
	if err != nil {
		return clientReply{}, fmt.Errorf("client %s: %w", req.Op, err)
	}
	if _, err := c.in.Write(append(line, '\n')); err != nil {
		return clientReply{}, fmt.Errorf("client %s: %w: %s", req.Op, err, c.stderr.String())
	}
	type result struct {
		r   clientReply
		err error
	}
	done := make(chan result, 1)
	go func() {
		if !c.out.Scan() {
			done <- result{err: fmt.Errorf("client %s: no reply (%v): %s", req.Op, c.out.Err(), c.stderr.String())}
			return
		}
		var r clientReply
		if err := json.Unmarshal(c.out.Bytes(), &r); err != nil {
			done <- result{err: fmt.Errorf("client %s reply: %w", req.Op, err)}
			return
		}
		done <- result{r: r}
	}()
	select {
	case res := <-done:
		return res.r, res.err
	case <-time.After(timeout):
		_ = c.cmd.Process.Kill()
		<-done
		return clientReply{}, fmt.Errorf("client %s: no reply within %s; killed", req.Op, timeout)
	}
}

// close ends the client's input, which closes its connections, and waits for it to exit.
func (c *clientProc) close() {
	_ = c.in.Close()
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

// clients is a set of load client processes holding connections to one server.
type clients []*clientProc

// openClients opens n connections to target from as many client processes as needed, in parallel.
// Connections that failed are reported in the error; the processes are returned either way.
func openClients(self, target string, n int) (clients, error) {
	var cs clients
	for off := 0; off < n; off += maxClientConns {
		c, err := startClient(self, target, off)
		if err != nil {
			cs.close()
			return nil, err
		}
		cs = append(cs, c)
	}
	replies := make([]clientReply, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		want := min(maxClientConns, n-i*maxClientConns)
		wg.Go(func() {
			replies[i], errs[i] = c.call(clientRequest{Op: "connect", N: want}, connectDeadline+time.Minute)
		})
	}
	wg.Wait()
	got, failed, first := 0, 0, ""
	for i, r := range replies {
		got += r.Conns
		failed += r.Failed
		if first == "" && r.FirstError != "" {
			first = r.FirstError
		}
		if errs[i] != nil {
			return cs, errors.Join(errs...)
		}
	}
	if got != n {
		return cs, fmt.Errorf("opened %d of %d connections to %s (%d failed; first error: %s)", got, n, target, failed, first)
	}
	return cs, nil
}

// echo runs the closed loop on every client at once and merges what they measured.
func (cs clients) echo(size int, d time.Duration, maxPerConn int) (clientReply, error) {
	replies := make([]clientReply, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			replies[i], errs[i] = c.call(clientRequest{Op: "echo", Size: size, Duration: d, MaxPerConn: maxPerConn}, d+time.Minute)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return clientReply{}, err
	}
	var total clientReply
	for _, r := range replies {
		total.Conns += r.Conns
		total.Failed += r.Failed
		total.Sent += r.Sent
		total.Mismatched += r.Mismatched
		total.Elapsed = max(total.Elapsed, r.Elapsed)
		total.Latency.merge(r.Latency)
		if total.FirstError == "" {
			total.FirstError = r.FirstError
		}
	}
	return total, nil
}

// close closes every client and its connections.
func (cs clients) close() {
	for _, c := range cs {
		c.close()
	}
}
