package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/gobwas/ws"
	"go.uber.org/zap"
)

// Server serves one client listener: WebSocket upgrades go to its WebSocketHandler, every other
// request to its http.Handler. Upgraded connections are read by a bounded pool of workers woken by
// a readiness poller, so an idle connection costs no goroutine.
type Server struct {
	cfg  Config
	log  *zap.Logger
	wsh  WebSocketHandler
	h    http.Handler
	http *http.Server

	readers   sync.Pool // *reader
	writeBufs sync.Pool // *[]byte
	rawWrites sync.Pool // *rawWrite

	count atomic.Int64 // upgraded connections not yet torn down

	mu       sync.Mutex // guards the fields below
	closing  bool
	conns    []*Conn // by socket descriptor
	seq      uint32
	poller   *poller    // nil until the first upgrade; never changes after
	work     chan *Conn // readable connections, taken by workers
	pollDone chan struct{}
	upgrades sync.WaitGroup // upgrades past the handshake decision
	live     sync.WaitGroup // registered connections not yet forgotten
	workers  sync.WaitGroup
}

// New returns a server that sends upgrade requests to wsh and other requests to h (nil: 404).
func New(cfg Config, wsh WebSocketHandler, h http.Handler) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("transport config: %w", err)
	}
	if wsh == nil {
		return nil, errors.New("transport: a WebSocketHandler is required")
	}
	cfg = cfg.withDefaults()
	if h == nil {
		h = http.NotFoundHandler()
	}
	s := &Server{cfg: cfg, log: cfg.Logger.Named("transport"), wsh: wsh, h: h}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: cfg.Limits.HandshakeTimeout,
		MaxHeaderBytes:    cfg.Limits.MaxHeaderBytes,
		ErrorLog:          zap.NewStdLog(s.log.WithOptions(zap.IncreaseLevel(zap.WarnLevel))),
	}
	return s, nil
}

// Serve accepts connections on ln until Shutdown or Close; it then returns http.ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	return s.http.Serve(ln)
}

// Shutdown stops accepting and waits, until ctx ends, for plain HTTP requests in progress. Upgraded
// connections stay open: their owner closes them (with 1001), then calls Close.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.http.Shutdown(ctx)
}

// Close stops accepting, closes every connection (upgraded ones with 1001, after which their
// handlers see OnClose) and stops the poller and the workers, waiting for them. It waits for
// OnMessage calls in progress to return, so it must not be called from a ConnHandler.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	s.mu.Unlock()
	err := s.http.Close()

	s.mu.Lock()
	var open []*Conn
	for _, c := range s.conns {
		if c != nil {
			open = append(open, c)
		}
	}
	p := s.poller
	s.mu.Unlock()

	for _, c := range open {
		_ = c.Close(ws.StatusGoingAway, "")
	}
	s.upgrades.Wait()
	s.live.Wait()
	if p == nil {
		return err
	}
	if serr := p.stop(); serr != nil {
		return errors.Join(err, serr)
	}
	<-s.pollDone
	close(s.work)
	s.workers.Wait()
	return errors.Join(err, p.close())
}

// Connections returns the number of upgraded connections currently open.
func (s *Server) Connections() int { return int(s.count.Load()) }

// register makes c known to the server (Close, Connections, the poller), starting the poller with
// the first connection.
func (s *Server) register(c *Conn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return http.ErrServerClosed
	}
	if s.poller == nil {
		if err := s.startPolling(); err != nil {
			return err
		}
	}
	if int(c.fd) >= len(s.conns) {
		s.conns = append(s.conns, make([]*Conn, int(c.fd)+1-len(s.conns))...)
	}
	s.seq++
	c.seq = s.seq
	s.conns[c.fd] = c
	s.count.Add(1)
	s.live.Add(1)
	return nil
}

// forget removes c from the poller (when armed) and from the server. It runs before c's socket
// is closed, so that its descriptor cannot be reused in between.
func (s *Server) forget(c *Conn, armed bool) {
	if armed {
		s.poller.remove(c)
	}
	s.mu.Lock()
	if int(c.fd) < len(s.conns) && s.conns[c.fd] == c {
		s.conns[c.fd] = nil
	}
	s.mu.Unlock()
	s.count.Add(-1)
	s.live.Done()
}

// startPolling creates the poller and starts its goroutine and the workers. Must hold mu.
func (s *Server) startPolling() error {
	p, err := newPoller()
	if err != nil {
		return err
	}
	s.poller = p
	s.work = make(chan *Conn, s.cfg.Workers)
	s.pollDone = make(chan struct{})
	s.workers.Add(s.cfg.Workers)
	for range s.cfg.Workers {
		go s.runWorker()
	}
	go s.runPoller(p)
	return nil
}

// runPoller hands each readable connection to a worker until the poller stops.
func (s *Server) runPoller(p *poller) {
	defer close(s.pollDone)
	if err := p.wait(s.ready); err != nil {
		s.log.Error("poller stopped", zap.Error(err))
	}
}

// ready passes the connection that fd and seq name to a worker, when it is idle and open.
func (s *Server) ready(fd int32, seq uint32) {
	s.mu.Lock()
	var c *Conn
	if int(fd) < len(s.conns) {
		c = s.conns[fd]
	}
	s.mu.Unlock()
	if c != nil && c.seq == seq && c.acquire() {
		s.work <- c
	}
}

// runWorker reads readable connections until the work channel closes.
func (s *Server) runWorker() {
	defer s.workers.Done()
	for c := range s.work {
		c.serve()
	}
}
