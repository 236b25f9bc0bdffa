package transport

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// Buffer sizes of pooled readers: frames that fit are handled in place, larger ones are read into
// the reader's scratch buffer.
const (
	minReadBuffer = 4 << 10
	maxReadBuffer = 64 << 10
)

// reader is what a goroutine needs to read one connection's frames. Readers are pooled: a
// connection holds one only while it is being read.
type reader struct {
	br       *bufio.Reader
	src      source
	scratch  []byte // payload of a frame larger than br's buffer
	deadline bool   // a read deadline covers the current frame
	timeout  time.Duration
}

// source feeds a reader: bytes left over from the upgrade request first, then the socket.
type source struct {
	pre []byte
	nc  net.Conn
}

func (s *source) Read(p []byte) (int, error) {
	if len(s.pre) > 0 {
		n := copy(p, s.pre)
		s.pre = s.pre[n:]
		return n, nil
	}
	return s.nc.Read(p)
}

// newReader returns a reader whose buffer fits a frame of maxFrame bytes, within bounds.
func newReader(maxFrame int, timeout time.Duration) *reader {
	size := min(max(maxFrame+maxHeaderBytes, minReadBuffer), maxReadBuffer)
	rd := &reader{timeout: timeout}
	rd.br = bufio.NewReaderSize(&rd.src, size)
	return rd
}

// getReader takes a pooled reader and points it at nc, after the bytes in pre.
func (s *Server) getReader(nc net.Conn, pre []byte) *reader {
	rd, _ := s.readers.Get().(*reader)
	if rd == nil {
		rd = newReader(s.cfg.Limits.MaxFrameBytes, s.cfg.Limits.ReadTimeout)
	}
	rd.src = source{pre: pre, nc: nc}
	rd.br.Reset(&rd.src)
	return rd
}

// putReader returns rd to the pool, dropping its references to the connection.
func (s *Server) putReader(rd *reader) {
	rd.src = source{}
	rd.br.Reset(&rd.src)
	if cap(rd.scratch) > maxReadBuffer {
		rd.scratch = nil
	}
	s.readers.Put(rd)
}

// drained reports whether every byte that was read has been handled.
func (rd *reader) drained() bool { return rd.br.Buffered() == 0 && len(rd.src.pre) == 0 }

// need makes sure a read deadline covers the current frame before it waits for n buffered bytes.
func (rd *reader) need(nc net.Conn, n int) {
	if rd.deadline || rd.br.Buffered() >= n {
		return
	}
	rd.deadline = true
	_ = nc.SetReadDeadline(time.Now().Add(rd.timeout))
}

// serve is a worker's turn on a readable connection it owns.
func (c *Conn) serve() {
	rd := c.srv.getReader(c.nc, nil)
	c.readFrames(rd)
	c.srv.putReader(rd)
	c.release()
}

// readFrames handles frames until everything read so far is handled (so that it never waits for a
// frame that has not started) or the connection closes. Only the owner calls it.
func (c *Conn) readFrames(rd *reader) {
	for !c.closed() && c.readFrame(rd) && !rd.drained() {
	}
}

// readFrame reads and handles one frame. It reports false when the connection is closing.
func (c *Conn) readFrame(rd *reader) bool {
	br := rd.br
	rd.deadline = false
	rd.need(c.nc, 2)
	b, err := br.Peek(2)
	if err != nil {
		return c.readFailed(err)
	}
	size := headerSize(b[1])
	rd.need(c.nc, size)
	if b, err = br.Peek(size); err != nil {
		return c.readFailed(err)
	}
	h, ok := parseHeader(b)
	_, _ = br.Discard(size)
	if !ok {
		return c.fail(ws.StatusProtocolError, "invalid payload length")
	}
	if code, reason := c.check(h); code != 0 {
		return c.fail(code, reason)
	}
	n := int(h.Length)

	if h.OpCode.IsControl() {
		// check bounds control payloads to 125 bytes: they always fit the buffer.
		rd.need(c.nc, n)
		p, err := br.Peek(n)
		if err != nil {
			return c.readFailed(err)
		}
		ws.Cipher(p, h.Mask, 0)
		ok := c.control(h.OpCode, p)
		_, _ = br.Discard(n)
		return ok
	}

	if c.frag == nil && h.Fin {
		// A whole message in one frame, the common case: handled in place when it fits the buffer.
		var p []byte
		inPlace := n <= br.Size()
		if inPlace {
			rd.need(c.nc, n)
			p, err = br.Peek(n)
		} else {
			rd.scratch = slices.Grow(rd.scratch[:0], n)[:n]
			p = rd.scratch
			rd.need(c.nc, n)
			_, err = io.ReadFull(br, p)
		}
		if err != nil {
			return c.readFailed(err)
		}
		ws.Cipher(p, h.Mask, 0)
		ok := c.deliver(h.OpCode, p)
		if inPlace {
			_, _ = br.Discard(n)
		}
		return ok
	}

	if c.frag == nil {
		c.frag = &fragment{op: h.OpCode}
	}
	f := c.frag
	old := len(f.buf)
	f.buf = slices.Grow(f.buf, n)[:old+n]
	rd.need(c.nc, n)
	if _, err := io.ReadFull(br, f.buf[old:]); err != nil {
		return c.readFailed(err)
	}
	ws.Cipher(f.buf[old:], h.Mask, 0)
	if !h.Fin {
		return true
	}
	c.frag = nil
	return c.deliver(f.op, f.buf)
}

// check validates a frame header against the protocol, the connection's state and the limits. It
// returns the close code and reason for a frame that must close the connection, or 0.
func (c *Conn) check(h ws.Header) (ws.StatusCode, string) {
	switch {
	case !h.Masked:
		return ws.StatusProtocolError, "frame not masked"
	case h.Rsv != 0:
		return ws.StatusProtocolError, "reserved bits set"
	case h.OpCode.IsReserved():
		return ws.StatusProtocolError, "unknown opcode"
	case h.OpCode.IsControl():
		switch {
		case !h.Fin:
			return ws.StatusProtocolError, "fragmented control frame"
		case h.Length > ws.MaxControlFramePayloadSize:
			return ws.StatusProtocolError, "control frame too long"
		case h.OpCode == ws.OpClose && h.Length == 1:
			return ws.StatusProtocolError, "invalid close frame"
		}
		return 0, ""
	case h.OpCode == ws.OpContinuation && c.frag == nil:
		return ws.StatusProtocolError, "unexpected continuation frame"
	case h.OpCode != ws.OpContinuation && c.frag != nil:
		return ws.StatusProtocolError, "expected continuation frame"
	}
	lim := &c.srv.cfg.Limits
	if h.Length > int64(lim.MaxFrameBytes) {
		return ws.StatusMessageTooBig, "frame too big"
	}
	size := h.Length
	if c.frag != nil {
		size += int64(len(c.frag.buf))
	}
	if size > int64(lim.MaxMessageBytes) {
		return ws.StatusMessageTooBig, "message too big"
	}
	if h.OpCode == ws.OpBinary && !lim.AllowBinary {
		return ws.StatusUnsupportedData, "binary messages are not supported"
	}
	return 0, ""
}

// control handles a ping, pong or close frame with unmasked payload p. It reports false when the
// connection is closing.
func (c *Conn) control(op ws.OpCode, p []byte) bool {
	switch op {
	case ws.OpPing:
		return c.writeFrame(ws.OpPong, p) == nil
	case ws.OpPong:
		return true
	}
	code, reason, ok := parseClosePayload(p)
	if !ok {
		return c.fail(ws.StatusProtocolError, "invalid close frame")
	}
	// Echo the client's code, or send an empty close frame when it sent none.
	var body [2]byte
	echo := body[:0]
	if code != ws.StatusNoStatusRcvd {
		binary.BigEndian.PutUint16(body[:], uint16(code))
		echo = body[:]
	}
	c.shut(code, string(reason), echo, true)
	return false
}

// deliver hands a complete message to the handler after the checks that need the whole message.
func (c *Conn) deliver(op ws.OpCode, p []byte) bool {
	if op == ws.OpText && !utf8.Valid(p) {
		return c.fail(ws.StatusInvalidFramePayloadData, "invalid UTF-8")
	}
	c.h.OnMessage(op, p)
	return true
}

// fail closes the connection with code and reason, sending them to the client. It returns false.
func (c *Conn) fail(code ws.StatusCode, reason string) bool {
	_ = c.Close(code, reason)
	return false
}

// readFailed closes the connection after a read error: 1008 "read timeout" when a frame did not
// arrive in time, 1006 otherwise (the client went away without a close frame). It returns false.
func (c *Conn) readFailed(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return c.fail(ws.StatusPolicyViolation, "read timeout")
	}
	c.shut(ws.StatusAbnormalClosure, "", nil, false)
	return false
}
