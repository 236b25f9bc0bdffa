package main

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gobwas/ws"

	"github.com/portico-gateway/portico/transport"
)

// maxFanoutFrames bounds the frames one POST /fanout writes.
const maxFanoutFrames = 10_000_000

// connSet is the baseline's registry of open connections, kept only when it serves /fanout: the
// in-process loop that @connections posts through Portico are compared with.
type connSet struct {
	mu    sync.Mutex
	conns map[*transport.Conn]struct{}
}

func (s *connSet) add(c *transport.Conn) {
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
}

func (s *connSet) remove(c *transport.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *connSet) snapshot() []*transport.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*transport.Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// serveFanout is POST /fanout?n=N&size=B: it writes N post messages of B bytes round-robin to the
// open connections from one loop, each stamped with the time of its write, and answers with the
// number of frames written.
func (s *connSet) serveFanout(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 1 || n > maxFanoutFrames {
		http.Error(w, fmt.Sprintf("n: want 1..%d", maxFanoutFrames), http.StatusBadRequest)
		return
	}
	size, err := strconv.Atoi(r.URL.Query().Get("size"))
	if err != nil || size < minPostBytes || size > maxReply {
		http.Error(w, fmt.Sprintf("size: want %d..%d", minPostBytes, maxReply), http.StatusBadRequest)
		return
	}
	conns := s.snapshot()
	if len(conns) == 0 {
		http.Error(w, "no connections", http.StatusConflict)
		return
	}
	buf := make([]byte, 0, size)
	written, failed := 0, 0
	for i := range n {
		buf = appendPostMessage(buf[:0], size, time.Now())
		if conns[i%len(conns)].WriteText(buf) != nil {
			failed++
			continue
		}
		written++
	}
	_, _ = fmt.Fprintf(w, `{"written":%d,"failed":%d}`, written, failed)
}

// fanoutHandler accepts every upgrade, echoes messages and keeps the connection in its set.
type fanoutHandler struct{ set *connSet }

func (h fanoutHandler) Handshake(*http.Request) transport.Decision {
	return transport.Decision{Status: http.StatusSwitchingProtocols, OnUpgraded: func(c *transport.Conn) transport.ConnHandler {
		h.set.add(c)
		return fanoutConn{echoConn{c}, h.set}
	}}
}

// fanoutConn is one tracked connection.
type fanoutConn struct {
	echoConn
	set *connSet
}

func (f fanoutConn) OnClose(ws.StatusCode, string) { f.set.remove(f.c) }

var (
	_ transport.WebSocketHandler = fanoutHandler{}
	_ transport.ConnHandler      = fanoutConn{}
)
