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

// run parses args and runs one of the three modes: the benchmark itself (default), the baseline
// server (-serve-baseline) or a load client (-client).
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
		return serveBaselineUntilSignal(o.listen, o.admin)
	case o.client:
		return serveClient(o.target, o.srcOffset, stdin, stdout)
	}
	if err := o.finish(); err != nil {
		return err
	}
	return runBench(o, stdout, stderr)
}
