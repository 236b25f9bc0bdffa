package transport

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/gobwas/ws"
)

// TryWriteText writes p as one text frame if it can do so without waiting on the client. It
// reports false, having written nothing, when another write is under way or the socket's send
// buffer is full; the caller then writes with WriteText from a goroutine that may wait. When the
// socket takes only part of the frame, the rest is written on a new goroutine (with the write
// deadline) before any later frame, and TryWriteText reports true. A failed write closes the
// connection (1006) as WriteText's does.
//
// It lets a frame be written by the goroutine that read the client's message (a worker) without
// a slow client ever holding that worker.
func (c *Conn) TryWriteText(p []byte) (bool, error) { return c.tryWriteFrame(ws.OpText, p) }

// TryWriteBinary writes p as one binary frame, like TryWriteText.
func (c *Conn) TryWriteBinary(p []byte) (bool, error) { return c.tryWriteFrame(ws.OpBinary, p) }

func (c *Conn) tryWriteFrame(op ws.OpCode, p []byte) (bool, error) {
	sc, ok := c.nc.(syscall.Conn)
	if !ok || !c.wmu.TryLock() {
		return false, nil
	}
	if c.wdone {
		c.wmu.Unlock()
		return false, ErrClosed
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		c.wmu.Unlock()
		return false, nil
	}
	bp := c.srv.writeBuffer(maxHeaderBytes + len(p))
	b := *bp
	n := putHeader(b, op, len(p))
	n += copy(b[n:], p)
	b = b[:n]

	rw := c.srv.rawWrite()
	rw.b = b
	err = rc.Write(rw.fn)
	wrote, werr := rw.n, rw.err
	*rw = rawWrite{fn: rw.fn}
	c.srv.rawWrites.Put(rw)
	if err == nil && werr != nil && !errors.Is(werr, syscall.EAGAIN) && !errors.Is(werr, syscall.EINTR) {
		err = werr
	}
	if wrote < 0 {
		wrote = 0
	}
	switch {
	case err != nil:
		c.wdone = true
		c.wmu.Unlock()
		c.srv.putWriteBuffer(bp)
		c.shut(ws.StatusAbnormalClosure, "", nil, false)
		return false, fmt.Errorf("write frame: %w: %w", ErrClosed, err)
	case wrote == 0:
		c.wmu.Unlock()
		c.srv.putWriteBuffer(bp)
		return false, nil
	case wrote == len(b):
		c.wmu.Unlock()
		c.srv.putWriteBuffer(bp)
		return true, nil
	}
	// Part of the frame is out: the rest goes first, on a goroutine that may wait, still holding
	// the write lock so no other frame can come between.
	go c.finishWrite(bp, b[wrote:])
	return true, nil
}

// finishWrite writes rest, the end of a frame whose beginning is out, then releases the write
// lock the caller held and bp.
func (c *Conn) finishWrite(bp *[]byte, rest []byte) {
	err := c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.Limits.WriteTimeout))
	if err == nil {
		_, err = c.nc.Write(rest)
	}
	if err != nil {
		c.wdone = true
	}
	c.wmu.Unlock()
	c.srv.putWriteBuffer(bp)
	if err != nil {
		c.shut(ws.StatusAbnormalClosure, "", nil, false)
	}
}

// rawWrite is one attempt at writing b to a socket without waiting, pooled with its callback so a
// write allocates nothing for it.
type rawWrite struct {
	b   []byte
	n   int
	err error
	fn  func(fd uintptr) bool // rawWrite.write bound to this rawWrite
}

// write is the syscall.RawConn.Write callback: one write, and done whatever happened, so the
// caller never waits for the socket to become writable.
func (w *rawWrite) write(fd uintptr) bool {
	w.n, w.err = syscall.Write(int(fd), w.b)
	return true
}

// rawWrite returns a pooled rawWrite.
func (s *Server) rawWrite() *rawWrite {
	if rw, _ := s.rawWrites.Get().(*rawWrite); rw != nil {
		return rw
	}
	rw := &rawWrite{}
	rw.fn = rw.write
	return rw
}
