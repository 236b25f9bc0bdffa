package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run parses args and runs one of the modes: the benchmark itself (default), or one of the hidden
// processes it starts: the baseline server (-serve-baseline), a load client (-client), the NATS
// echo backend (-nats-responder), the HTTP backend (-serve-backend) or a reverse proxy (-serve-proxy).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case o.serveBaseline:
		return serveBaselineUntilSignal(o.listen, o.admin, baselineConfig{fanout: o.fanout, natsURL: o.natsURL})
	case o.natsResponder:
		return serveResponderUntilSignal(o.natsURL)
	case o.serveBackend:
		return serveHTTPUntilSignal(o.listen, backendHandler())
	case o.serveProxy:
		h, err := reverseProxy(o.upstream, o.idlePerHost)
		if err != nil {
			return err
		}
		return serveHTTPUntilSignal(o.listen, h)
	case o.client:
		return serveClient(o.target, o.srcOffset, stdin, stdout)
	}
	if err := o.finish(); err != nil {
		return err
	}
	return runBench(o, stdout, stderr)
}
