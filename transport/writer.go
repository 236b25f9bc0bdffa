package transport

import (
	"fmt"
	"time"

	"github.com/gobwas/ws"
)

// maxPooledWrite is the largest write buffer kept for reuse.
const maxPooledWrite = 256 << 10

// writeFrame writes p as one final frame of type op: header and payload in one write, under the
// write lock, with the write deadline. A failed write closes the connection (1006).
func (c *Conn) writeFrame(op ws.OpCode, p []byte) error {
	bp := c.srv.writeBuffer(maxHeaderBytes + len(p))
	b := *bp
	n := putHeader(b, op, len(p))
	n += copy(b[n:], p)

	c.wmu.Lock()
	if c.wdone {
		c.wmu.Unlock()
		c.srv.putWriteBuffer(bp)
		return ErrClosed
	}
	err := c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.Limits.WriteTimeout))
	if err == nil {
		_, err = c.nc.Write(b[:n])
	}
	if err != nil {
		c.wdone = true
	}
	c.wmu.Unlock()
	c.srv.putWriteBuffer(bp)

	if err != nil {
		c.shut(ws.StatusAbnormalClosure, "", nil, false)
		return fmt.Errorf("write frame: %w: %w", ErrClosed, err)
	}
	return nil
}

// writeCloseLocked writes a close frame with payload body (at most 125 bytes), once, with a short
// deadline. No frame is written after it. Must hold wmu.
func (c *Conn) writeCloseLocked(body []byte) {
	if c.wdone {
		return
	}
	c.wdone = true
	var b [maxHeaderBytes + ws.MaxControlFramePayloadSize]byte
	n := putHeader(b[:], ws.OpClose, len(body))
	n += copy(b[n:], body)
	if err := c.nc.SetWriteDeadline(time.Now().Add(closeWriteTimeout)); err != nil {
		return
	}
	_, _ = c.nc.Write(b[:n])
}

// writeBuffer returns a pooled buffer of at least n bytes.
func (s *Server) writeBuffer(n int) *[]byte {
	bp, _ := s.writeBufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	if cap(*bp) < n {
		*bp = make([]byte, roundUp(n))
	}
	*bp = (*bp)[:cap(*bp)]
	return bp
}

// putWriteBuffer returns bp to the pool unless it grew too large to keep.
func (s *Server) putWriteBuffer(bp *[]byte) {
	if cap(*bp) <= maxPooledWrite {
		s.writeBufs.Put(bp)
	}
}

// roundUp rounds n up to a multiple of 512 bytes, so that buffers of close sizes are shared.
func roundUp(n int) int {
	const step = 512
	return (n + step - 1) &^ (step - 1)
}
