package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Parameters of the post scenario.
const (
	postReceivers   = 100 // connections receiving the posts of the rate figures
	postConcurrency = 64  // posts in flight from the poster
	postBytes       = 64
	maxPublished    = 300_000 // fire-and-forget posts of one rate point
	receiveGrace    = 20 * time.Second
)

// whoamiRoute answers {"action":"whoami"} with the connection's id, so clients learn whom to post to.
const whoamiRoute = `      - routeKey: whoami
        integration: { integrationType: MOCK, templates: { $default: "$context.connectionId" } }
        routeResponseSelectionExpression: $default
`

// postConfig is porticoConfig with the whoami route.
func postConfig() string {
	return strings.Replace(porticoConfig, "    stages:\n", whoamiRoute+"    stages:\n", 1)
}

// postFigure is one delivery run: how many messages arrived and when the last one did.
type postFigure struct {
	sent, received uint64
	start, last    time.Time
	latency        histogram
	problems       []string
}

// rate is messages received per second, from the first send to the last receipt.
func (f postFigure) rate() float64 {
	if d := f.last.Sub(f.start); d > 0 {
		return float64(f.received) / d.Seconds()
	}
	return 0
}

// runPost measures @connections posts delivered per second (HTTP API, NATS request-reply, NATS
// publish) and the time a message takes to reach every one of many connections, against the
// baseline writing the same frames to its own connections from an in-process loop (POST /fanout).
func runPost(e *env) error {
	p, err := startPorticoWith(e.portico, e.dir, portico, postConfig())
	if err != nil {
		return err
	}
	b, err := startBaselineProc(e.self, "-fanout")
	if err != nil {
		return errors.Join(err, p.stop())
	}
	err = errors.Join(postRates(e, p, b), postFanout(e, p, b), crossNode(e, p))
	return errors.Join(err, p.stop(), b.stop())
}

// receivers are load clients holding connections that receive posts, with their connection ids.
type receivers struct {
	cs  clients
	ids []string
}

// openReceivers opens n connections to s; on Portico it also learns their ids.
func openReceivers(e *env, s *serverProc, n int, withIDs bool) (*receivers, error) {
	cs, err := openClients(e.self, s.wsURL, n)
	r := &receivers{cs: cs}
	if err != nil {
		return r, fmt.Errorf("%s: %w", s.name, err)
	}
	if !withIDs {
		return r, nil
	}
	replies, err := cs.callAll(clientRequest{Op: "ids"}, time.Minute)
	if err != nil {
		return r, err
	}
	for _, rep := range replies {
		if rep.Failed > 0 {
			return r, fmt.Errorf("%s: %d connection(s) did not tell their id: %s", s.name, rep.Failed, rep.FirstError)
		}
		r.ids = append(r.ids, rep.IDs...)
	}
	return r, nil
}

// deliver arms the receivers, runs send, and collects what arrived. perConn > 0 stops each
// connection after that many messages.
func (r *receivers) deliver(perConn int, within time.Duration, send func() (sent uint64, start time.Time, err error)) (postFigure, error) {
	if _, err := r.cs.callAll(clientRequest{Op: "arm", Duration: within, MaxPerConn: perConn}, time.Minute); err != nil {
		return postFigure{}, err
	}
	sent, start, serr := send()
	replies, err := r.cs.callAll(clientRequest{Op: "collect"}, within+time.Minute)
	if err = errors.Join(serr, err); err != nil {
		return postFigure{}, err
	}
	f := postFigure{sent: sent, start: start}
	var bad uint64
	for _, rep := range replies {
		f.received += rep.Received
		bad += rep.Mismatched
		f.latency.merge(rep.Latency)
		if last := time.Unix(0, rep.Last); rep.Last > 0 && last.After(f.last) {
			f.last = last
		}
		if rep.Failed > 0 && perConn > 0 {
			f.problems = append(f.problems, fmt.Sprintf("%d connection(s) missed messages: %s", rep.Failed, rep.FirstError))
		}
	}
	if bad > 0 {
		f.problems = append(f.problems, fmt.Sprintf("%d message(s) were not post messages", bad))
	}
	return f, nil
}

// poster sends posts from its own load client process.
func poster(e *env, s *serverProc, req clientRequest) (sent uint64, start time.Time, err error) {
	c, err := startClient(e.self, s.wsURL, 0)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer c.close()
	req.Op = "post"
	rep, err := c.call(req, req.Duration+time.Minute)
	if err != nil {
		return 0, time.Time{}, err
	}
	if rep.Failed > 0 {
		err = fmt.Errorf("%d post(s) failed; first error: %s", rep.Failed, rep.FirstError)
	}
	return rep.Sent, time.Unix(0, rep.Start), err
}

// fanout asks the baseline to write n post messages round-robin to its connections.
func fanout(b *serverProc, n int) (sent uint64, start time.Time, err error) {
	hc := &http.Client{Timeout: 2 * time.Minute} // a large n takes seconds
	start = time.Now()
	resp, err := hc.Post(fmt.Sprintf("%s/fanout?n=%d&size=%d", b.adminURL, n, postBytes), "text/plain", nil)
	if err != nil {
		return 0, start, fmt.Errorf("baseline fanout: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"failed":0}`) {
		return 0, start, fmt.Errorf("baseline fanout: status %d: %s", resp.StatusCode, body)
	}
	return uint64(n), start, nil
}

// postModes are the ways a backend posts, with the URL each needs.
func postModes(p *serverProc) []struct{ mode, url string } {
	return []struct{ mode, url string }{
		{postHTTP, "http://" + p.addr + "/prod/@connections"},
		{postNATS, p.natsURL},
		{postNATSPublish, p.natsURL},
	}
}

// postRates measures posts delivered per second to postReceivers connections in each mode.
func postRates(e *env, p, b *serverProc) error {
	pr, err := openReceivers(e, p, postReceivers, true)
	defer pr.cs.close()
	if err != nil {
		return err
	}
	br, err := openReceivers(e, b, postReceivers, false)
	defer br.cs.close()
	if err != nil {
		return err
	}
	within := e.opt.duration + receiveGrace
	for _, m := range postModes(p) {
		e.logf("post: %s to %d connections, %d in flight, %s", m.mode, postReceivers, postConcurrency, e.opt.duration)
		load := loadAvg()
		maxTotal := maxLoadTotal
		if m.mode == postNATSPublish {
			maxTotal = maxPublished
			if e.opt.quick {
				maxTotal /= 3
			}
		}
		pf, err := pr.deliver(0, within, func() (uint64, time.Time, error) {
			return poster(e, p, clientRequest{Mode: m.mode, URL: m.url, IDs: pr.ids, Size: postBytes,
				Concurrency: postConcurrency, Duration: e.opt.duration, MaxTotal: maxTotal})
		})
		if err != nil {
			return fmt.Errorf("post %s: %w", m.mode, err)
		}
		if pf.received == 0 {
			return fmt.Errorf("post %s: nothing received of %d sent", m.mode, pf.sent)
		}
		bf, err := br.deliver(0, within, func() (uint64, time.Time, error) { return fanout(b, int(pf.received)) })
		if err != nil {
			return fmt.Errorf("post %s baseline: %w", m.mode, err)
		}
		if err := checkDelivery(e, "post "+m.mode, pf, bf); err != nil {
			return err
		}
		params := map[string]any{"mode": m.mode, "conns": postReceivers, "concurrency": postConcurrency, "bytes": postBytes,
			"seconds": e.opt.duration.Seconds(), "load1": load, "sent": pf.sent, "received": pf.received, "baseline": "fanout-loop"}
		ms := []measurement{newMeasurement("post", "messages-received-per-second", "msg/s (higher is better)", pf.rate(), bf.rate(), params)}
		// Publishing is an open loop: its delivery time is the depth of the queue it builds, not a
		// latency of the path.
		if m.mode != postNATSPublish {
			ms = append(ms,
				newMeasurement("post", "delivery-p50", "µs (lower is better)", us(pf.latency.quantile(0.5)), us(bf.latency.quantile(0.5)), params),
				newMeasurement("post", "delivery-p99", "µs (lower is better)", us(pf.latency.quantile(0.99)), us(bf.latency.quantile(0.99)), params))
		}
		for _, ms := range ms {
			if err := e.rep.add(ms); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDelivery reports messages lost on the way, or lost by the baseline.
func checkDelivery(e *env, what string, pf, bf postFigure) error {
	for _, s := range pf.problems {
		e.rep.fail("%s portico: %s", what, s)
	}
	for _, s := range bf.problems {
		e.rep.fail("%s baseline: %s", what, s)
	}
	if pf.received != pf.sent {
		e.rep.fail("%s portico: %d of %d accepted post(s) received", what, pf.received, pf.sent)
	}
	if bf.received != bf.sent {
		e.rep.fail("%s baseline: %d of %d frame(s) received", what, bf.received, bf.sent)
	}
	return nil
}

// postFanout measures the time from the first post to the last receipt of one message to each of
// many connections (10,000; quick 1,000).
func postFanout(e *env, p, b *serverProc) error {
	n := 10_000
	if e.opt.quick {
		n = 1000
	}
	within := e.opt.duration + receiveGrace
	pr, err := openReceivers(e, p, n, true)
	if err != nil {
		pr.cs.close()
		return err
	}
	figures := map[string]postFigure{}
	for _, m := range postModes(p) {
		e.logf("post: fan-out of one message to %d connections, %s", n, m.mode)
		pf, err := pr.deliver(1, within, func() (uint64, time.Time, error) {
			return poster(e, p, clientRequest{Mode: m.mode, URL: m.url, IDs: pr.ids, Size: postBytes,
				Concurrency: postConcurrency, Duration: within, MaxTotal: n})
		})
		if err != nil {
			pr.cs.close()
			return fmt.Errorf("fan-out %s: %w", m.mode, err)
		}
		figures[m.mode] = pf
	}
	pr.cs.close()
	br, err := openReceivers(e, b, n, false)
	defer br.cs.close()
	if err != nil {
		return err
	}
	load := loadAvg()
	bf, err := br.deliver(1, within, func() (uint64, time.Time, error) { return fanout(b, n) })
	if err != nil {
		return fmt.Errorf("fan-out baseline: %w", err)
	}
	ms := func(f postFigure) float64 { return float64(f.last.Sub(f.start)) / float64(time.Millisecond) }
	for _, m := range postModes(p) {
		pf := figures[m.mode]
		if err := checkDelivery(e, "fan-out "+m.mode, pf, bf); err != nil {
			return err
		}
		params := map[string]any{"mode": m.mode, "conns": n, "concurrency": postConcurrency, "bytes": postBytes,
			"load1": load, "baseline": "fanout-loop"}
		if err := e.rep.add(newMeasurement("post", "fanout-time-to-last", "ms (lower is better)", ms(pf), ms(bf), params)); err != nil {
			return err
		}
	}
	return nil
}

// callAll sends req to every client at once and returns their replies in order.
func (cs clients) callAll(req clientRequest, timeout time.Duration) ([]clientReply, error) {
	replies := make([]clientReply, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { replies[i], errs[i] = c.call(req, timeout) })
	}
	wg.Wait()
	return replies, errors.Join(errs...)
}
