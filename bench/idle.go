package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// maxServerConns bounds the connections the benchmark opens to one server (the machine allows a
// process 20,000 files).
const maxServerConns = 18000

// Runtime samples the idle scenario reads from /metrics.
const (
	mHeapInuse  = "go_memstats_heap_inuse_bytes"
	mGoroutines = "go_goroutines"
	mGCCount    = "go_gc_duration_seconds_count"
)

// idleSample is a server's footprint at one moment.
type idleSample struct {
	rss, heap, goroutines float64
}

// idleResult is one server's footprint before and after n idle connections.
type idleResult struct {
	before, after idleSample
	gcSeen        bool          // a GC cycle completed after the last connection opened
	waited        time.Duration // time from the last connection to the measurement
}

func (r idleResult) perConn(n int) idleSample {
	d := float64(n)
	return idleSample{
		rss:        (r.after.rss - r.before.rss) / d,
		heap:       (r.after.heap - r.before.heap) / d,
		goroutines: (r.after.goroutines - r.before.goroutines) / d,
	}
}

// runIdle measures memory and goroutines per idle connection, Portico and baseline side by side,
// each on a fresh process per connection count.
func runIdle(e *env) error {
	counts := e.opt.conns
	if counts == nil {
		counts = []int{1000, 5000, 18000}
		if e.opt.quick {
			counts = []int{1000, 5000}
		}
	}
	for _, n := range counts {
		e.logf("idle: %d connections (waiting up to %s for a GC cycle)", n, e.opt.settle)
		load := loadAvg()
		p, b, err := e.startServers()
		if err != nil {
			return err
		}
		var pr, br idleResult
		var perr, berr error
		var wg sync.WaitGroup
		wg.Go(func() { pr, perr = measureIdle(e, p, n) })
		wg.Go(func() { br, berr = measureIdle(e, b, n) })
		wg.Wait()
		if err := errors.Join(perr, berr); err != nil {
			return err
		}
		pc, bc := pr.perConn(n), br.perConn(n)
		params := map[string]any{"conns": n, "load1": load, "gcSeen": pr.gcSeen && br.gcSeen,
			"waitedSeconds": round(max(pr.waited, br.waited).Seconds())}
		for _, m := range []measurement{
			newMeasurement("idle", "rss-per-conn", "bytes/conn (lower is better)", pc.rss, bc.rss, params),
			newMeasurement("idle", "heap-inuse-per-conn", "bytes/conn (lower is better)", pc.heap, bc.heap, params),
			newMeasurement("idle", "goroutines-per-conn", "goroutines/conn (lower is better)", pc.goroutines, bc.goroutines, params),
		} {
			if err := e.rep.add(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// measureIdle samples s, opens n idle connections, waits for a GC cycle and a steady RSS, samples
// again, then closes the connections and stops s. s is stopped whatever happens.
func measureIdle(e *env, s *serverProc, n int) (res idleResult, err error) {
	defer func() {
		if serr := s.stop(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	steadyRSS(s, 10*time.Second)
	if res.before, err = sample(s); err != nil {
		return res, err
	}
	cs, err := openClients(e.self, s.wsURL, n)
	defer cs.close()
	if err != nil {
		return res, fmt.Errorf("%s: %w", s.name, err)
	}
	if err := waitConnections(s, n, 30*time.Second); err != nil {
		return res, err
	}
	connected := time.Now()
	res.gcSeen, err = waitGC(s, e.opt.settle)
	if err != nil {
		return res, err
	}
	steadyRSS(s, 20*time.Second)
	if res.after, err = sample(s); err != nil {
		return res, err
	}
	res.waited = time.Since(connected)
	if got, err := s.connections(); err != nil || got != n {
		return res, fmt.Errorf("%s: %d of %d connections left after waiting (%v)", s.name, got, n, err)
	}
	return res, nil
}

// sample reads s's RSS, heap in use and goroutines.
func sample(s *serverProc) (idleSample, error) {
	rss, err := s.rss()
	if err != nil {
		return idleSample{}, err
	}
	m, err := s.metrics(mHeapInuse, mGoroutines)
	if err != nil {
		return idleSample{}, err
	}
	return idleSample{rss: float64(rss), heap: m[mHeapInuse], goroutines: m[mGoroutines]}, nil
}

// waitConnections polls s until it counts n open connections.
func waitConnections(s *serverProc, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	got := -1
	for time.Now().Before(deadline) {
		if err := s.alive(); err != nil {
			return err
		}
		var err error
		if got, err = s.connections(); err == nil && got == n {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s counts %d connections, want %d, after %s", s.name, got, n, timeout)
}

// waitGC waits until s completes a GC cycle after the call (the runtime forces one at least every
// two minutes), up to timeout. It reports whether one was seen.
func waitGC(s *serverProc, timeout time.Duration) (bool, error) {
	m, err := s.metrics(mGCCount)
	if err != nil {
		return false, err
	}
	start := m[mGCCount]
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		if err := s.alive(); err != nil {
			return false, err
		}
		if m, err := s.metrics(mGCCount); err == nil && m[mGCCount] > start {
			return true, nil
		}
	}
	return false, nil
}

// steadyRSS waits until s's RSS varies by at most 0.5 % over two seconds, up to timeout.
func steadyRSS(s *serverProc, timeout time.Duration) {
	const window = 5
	var last []int64
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		rss, err := s.rss()
		if err != nil {
			return
		}
		last = append(last, rss)
		if len(last) > window {
			last = last[1:]
		}
		if len(last) == window {
			lo, hi := last[0], last[0]
			for _, v := range last {
				lo, hi = min(lo, v), max(hi, v)
			}
			if float64(hi-lo) <= 0.005*float64(hi) {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
}
