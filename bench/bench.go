package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// env is what every scenario needs: the binaries, where to put files, where to report.
type env struct {
	opt     options
	self    string // this binary, re-executed as baseline server and load clients
	portico string // the portico binary
	dir     string
	rep     *report
	log     io.Writer
}

// logf writes progress to the log (stderr), never to the measurements.
func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.log, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// runBench runs the chosen scenarios and reports on stdout.
func runBench(o options, stdout, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	dir, err := os.MkdirTemp("", "portico-bench-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	e := &env{opt: o, self: self, portico: o.portico, dir: dir, rep: newReport(stdout), log: stderr}
	if e.portico == "" {
		e.logf("building portico")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		e.portico, err = buildPortico(ctx, dir)
		cancel()
		if err != nil {
			return err
		}
	}
	for _, s := range o.scenarios {
		var err error
		switch s {
		case "idle":
			err = runIdle(e)
		case "echo":
			err = runEcho(e)
		case "connect":
			err = runConnect(e)
		case "nats":
			err = runNATS(e)
		case "post":
			err = runPost(e)
		case "http":
			err = runHTTP(e)
		case "trickle":
			err = runTrickle(e)
		}
		if err != nil {
			e.rep.fail("%s: %v", s, err)
			e.logf("%s: %v", s, err)
		}
	}
	if !o.jsonOnly {
		e.rep.table()
	}
	if len(e.rep.errs) > 0 {
		return fmt.Errorf("%d problem(s) while measuring; see above", len(e.rep.errs))
	}
	return nil
}

// startServers starts a fresh Portico node and a fresh baseline server, in that order of the result.
func (e *env) startServers() (p, b *serverProc, err error) {
	if p, err = startPortico(e.portico, e.dir); err != nil {
		return nil, nil, err
	}
	if b, err = startBaselineProc(e.self); err != nil {
		_ = p.kill()
		return nil, nil, err
	}
	return p, b, nil
}
