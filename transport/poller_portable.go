//go:build (unix && !linux) || portico_portable_poller

package transport

import (
	"errors"
	"fmt"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// idleWithoutGoroutine tells that idle connections hold no goroutine with this poller: they do
// hold one here.
const idleWithoutGoroutine = false

// poller is the portable stand-in for the epoll poller, for systems without epoll: each armed
// connection has a goroutine parked in the runtime's network poller until its socket is readable.
// It keeps the same one-event-per-arm contract, at the cost of a goroutine per idle connection.
type poller struct {
	ready chan pollEvent
	done  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

type pollEvent struct {
	fd  int32
	seq uint32
}

func newPoller() (*poller, error) {
	return &poller{ready: make(chan pollEvent), done: make(chan struct{})}, nil
}

// arm reports c's fd and seq once its socket is readable or closed.
func (p *poller) arm(c *Conn, _ bool) error {
	sc, ok := c.nc.(syscall.Conn)
	if !ok {
		return fmt.Errorf("connection %T has no socket descriptor", c.nc)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return fmt.Errorf("socket descriptor: %w", err)
	}
	ev := pollEvent{fd: c.fd, seq: c.seq}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := rc.Read(readable); err != nil {
			return // the socket was closed: its closer owns the connection
		}
		select {
		case p.ready <- ev:
		case <-p.done:
		}
	}()
	return nil
}

// readable reports whether a read of fd would not block, without consuming anything.
func readable(fd uintptr) bool {
	var b [1]byte
	_, _, err := unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
	return !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EWOULDBLOCK)
}

// remove has nothing to do: closing the socket ends the connection's goroutine.
func (p *poller) remove(*Conn) {}

// wait calls ready for each readiness event until stop is called.
func (p *poller) wait(ready func(fd int32, seq uint32)) error {
	for {
		select {
		case ev := <-p.ready:
			ready(ev.fd, ev.seq)
		case <-p.done:
			return nil
		}
	}
}

// stop makes wait return.
func (p *poller) stop() error {
	p.once.Do(func() { close(p.done) })
	return nil
}

// close waits for the connections' goroutines, which end with their sockets.
func (p *poller) close() error {
	p.wg.Wait()
	return nil
}
