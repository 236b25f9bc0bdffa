//go:build linux && !portico_portable_poller

package transport

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// idleWithoutGoroutine tells that idle connections hold no goroutine with this poller.
const idleWithoutGoroutine = true

// pollEvents is how many readiness events one wait returns at most.
const pollEvents = 256

// poller watches upgraded sockets with one epoll instance. Sockets are registered one-shot: after
// an event the socket stays silent until its owner re-arms it, so one connection is never read by
// two workers at once.
type poller struct {
	epfd   int
	wakefd int // eventfd that ends wait
}

func newPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("create epoll: %w", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		_ = unix.Close(epfd)
		return nil, fmt.Errorf("create eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakefd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &ev); err != nil {
		_ = unix.Close(epfd)
		_ = unix.Close(wakefd)
		return nil, fmt.Errorf("watch eventfd: %w", err)
	}
	return &poller{epfd: epfd, wakefd: wakefd}, nil
}

// arm asks for one readiness event of c's socket, which carries c's fd and seq back. add
// registers the socket first.
func (p *poller) arm(c *Conn, add bool) error {
	fd, seq := c.fd, c.seq
	op := unix.EPOLL_CTL_MOD
	if add {
		op = unix.EPOLL_CTL_ADD
	}
	ev := unix.EpollEvent{
		Events: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLONESHOT,
		Fd:     fd,
		Pad:    int32(seq),
	}
	if err := unix.EpollCtl(p.epfd, op, int(fd), &ev); err != nil {
		return fmt.Errorf("epoll_ctl fd %d: %w", fd, err)
	}
	return nil
}

// remove unregisters c's socket. It must run before the socket is closed.
func (p *poller) remove(c *Conn) {
	_ = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, int(c.fd), nil)
}

// wait calls ready for each readiness event until stop is called.
func (p *poller) wait(ready func(fd int32, seq uint32)) error {
	events := make([]unix.EpollEvent, pollEvents)
	for {
		n, err := unix.EpollWait(p.epfd, events, -1)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("epoll_wait: %w", err)
		}
		for i := range events[:n] {
			ev := &events[i]
			if ev.Fd == int32(p.wakefd) {
				return nil
			}
			ready(ev.Fd, uint32(ev.Pad))
		}
	}
}

// stop makes wait return.
func (p *poller) stop() error {
	var one = [8]byte{1}
	if _, err := unix.Write(p.wakefd, one[:]); err != nil {
		return fmt.Errorf("wake poller: %w", err)
	}
	return nil
}

// close releases the poller's descriptors once wait has returned.
func (p *poller) close() error {
	return errors.Join(unix.Close(p.epfd), unix.Close(p.wakefd))
}
