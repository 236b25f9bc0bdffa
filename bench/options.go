package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// allScenarios are the scenarios in the order they run by default.
func allScenarios() []string {
	return []string{"idle", "echo", "connect", "nats", "post", "http", "trickle"}
}

// options are the command line of bench, for all three modes.
type options struct {
	quick     bool
	scenarios []string
	jsonOnly  bool
	conns     []int
	sizes     []int
	duration  time.Duration
	settle    time.Duration
	portico   string

	// Hidden modes.
	serveBaseline bool
	fanout        bool
	natsURL       string
	natsResponder bool
	serveBackend  bool
	serveProxy    bool
	upstream      string
	idlePerHost   int
	listen, admin string
	client        bool
	target        string
	srcOffset     int

	scenarioFlag, connsFlag, sizesFlag string
}

func (o *options) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.quick, "quick", false, "fewer and shorter points")
	fs.StringVar(&o.scenarioFlag, "scenario", strings.Join(allScenarios(), ","), "comma-separated scenarios: "+strings.Join(allScenarios(), ", "))
	fs.BoolVar(&o.jsonOnly, "json", false, "print only the JSON lines, no Markdown table")
	fs.StringVar(&o.connsFlag, "conns", "", "comma-separated connection counts (default per scenario)")
	fs.StringVar(&o.sizesFlag, "sizes", "", "comma-separated echo message sizes in bytes (default 64,4096; quick 64)")
	fs.DurationVar(&o.duration, "duration", 0, "echo, connect, nats, post, http: measuring time per point (default 5s; quick 2s)")
	fs.DurationVar(&o.settle, "settle", 130*time.Second, "idle: longest wait for a GC cycle after connecting")
	fs.StringVar(&o.portico, "portico", "", "portico binary (default: built from ./cmd/portico of this module)")

	fs.BoolVar(&o.serveBaseline, "serve-baseline", false, "internal: run the baseline echo server")
	fs.BoolVar(&o.fanout, "fanout", false, "internal: baseline keeps its connections and serves POST /fanout")
	fs.StringVar(&o.natsURL, "nats", "", "internal: NATS URL of the bridge baseline and of the responder")
	fs.BoolVar(&o.natsResponder, "nats-responder", false, "internal: run the NATS echo backend")
	fs.BoolVar(&o.serveBackend, "serve-backend", false, "internal: run the HTTP backend")
	fs.BoolVar(&o.serveProxy, "serve-proxy", false, "internal: run httputil.ReverseProxy in front of -upstream")
	fs.StringVar(&o.upstream, "upstream", "", "internal: the reverse proxy's backend URL")
	fs.IntVar(&o.idlePerHost, "idle-per-host", 64, "internal: the reverse proxy's idle connections per host")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "internal: baseline client address")
	fs.StringVar(&o.admin, "admin", "127.0.0.1:0", "internal: baseline admin address")
	fs.BoolVar(&o.client, "client", false, "internal: run a load client driven over stdin/stdout")
	fs.StringVar(&o.target, "target", "", "internal: WebSocket URL for the load client")
	fs.IntVar(&o.srcOffset, "src-offset", 0, "internal: first source address index of the load client")
}

// finish validates the parsed flags and fills in defaults.
func (o *options) finish() error {
	for _, s := range strings.Split(o.scenarioFlag, ",") {
		switch s = strings.TrimSpace(s); s {
		case "":
		default:
			if !slices.Contains(allScenarios(), s) {
				return fmt.Errorf("-scenario: unknown scenario %q (want %s)", s, strings.Join(allScenarios(), ", "))
			}
			o.scenarios = append(o.scenarios, s)
		}
	}
	var err error
	if o.conns, err = parseInts("-conns", o.connsFlag, 1, maxServerConns); err != nil {
		return err
	}
	if o.sizes, err = parseInts("-sizes", o.sizesFlag, 1, 64<<10); err != nil {
		return err
	}
	if o.duration == 0 {
		o.duration = 5 * time.Second
		if o.quick {
			o.duration = 2 * time.Second
		}
	}
	if o.duration < 0 || o.settle < 0 {
		return fmt.Errorf("-duration and -settle must not be negative")
	}
	return nil
}

// parseInts parses a comma-separated list of integers within [lo, hi]; empty gives nil.
func parseInts(name, s string, lo, hi int) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if n < lo || n > hi {
			return nil, fmt.Errorf("%s: %d out of range [%d, %d]", name, n, lo, hi)
		}
		out = append(out, n)
	}
	return out, nil
}
