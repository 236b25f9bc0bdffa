package transport

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// Sizes of pooled read buffers: one read takes at most a buffer's worth of the socket.
const (
	minReadBuffer = 4 << 10
	maxReadBuffer = 64 << 10
)

// reader is what a worker needs for one turn on a connection: the buffer a read of the socket
// fills. Readers are pooled: a connection holds one only during a turn, never while it waits.
type reader struct {
	buf []byte
}

// newReader returns a reader whose buffer fits a frame of maxFrame bytes, within bounds.
func newReader(maxFrame int) *reader {
	return &reader{buf: make([]byte, min(max(maxFrame+maxHeaderBytes, minReadBuffer), maxReadBuffer))}
}

// getReader takes a pooled reader.
func (s *Server) getReader() *reader {
	rd, _ := s.readers.Get().(*reader)
	if rd == nil {
		rd = newReader(s.cfg.Limits.MaxFrameBytes)
	}
	return rd
}

// putReader returns rd to the pool.
func (s *Server) putReader(rd *reader) { s.readers.Put(rd) }

// serve is a worker's turn on a readable connection it owns: one read of what the socket holds,
// without waiting, and every frame it completes. A frame the read leaves incomplete stays on the
// connection (Conn.part) and resumes on the next turn, so the worker never waits for a client.
func (c *Conn) serve() {
	rd := c.srv.getReader()
	n, err := readSocket(c.fd, rd.buf)
	switch {
	case n > 0:
		c.consume(rd.buf[:n])
	case wouldBlock(err):
		// Nothing to read after all (another turn took it, or the wake-up was spurious).
	default:
		// End of stream or a broken socket: the client went away without a close frame.
		c.readEnded()
	}
	c.srv.putReader(rd)
	c.release()
}

// consume handles the bytes in b, which continue what the connection received before: it
// finishes the partial frame, handles every whole frame in place and keeps the start of an
// incomplete one. b is modified (payloads are unmasked in place). It reports false when the
// connection is closing. Only the owner calls it.
func (c *Conn) consume(b []byte) bool {
	for len(b) > 0 && !c.closed() {
		var ok bool
		if c.part != nil {
			b, ok = c.resume(b)
		} else {
			b, ok = c.next(b)
		}
		if !ok {
			return false
		}
	}
	return !c.closed()
}

// next handles the frame that starts at b[0]: in place when b holds all of it, otherwise as the
// start of a partial frame. It returns what follows the frame in b.
func (c *Conn) next(b []byte) ([]byte, bool) {
	if len(b) < 2 || len(b) < headerSize(b[1]) {
		c.startPartial()
		return c.resume(b)
	}
	size := headerSize(b[1])
	h, ok := c.header(b[:size])
	if !ok {
		return nil, false
	}
	b = b[size:]
	if n := int(h.Length); len(b) >= n {
		p := b[:n]
		ws.Cipher(p, h.Mask, 0)
		return b[n:], c.frame(h, p)
	}
	p := c.startPartial()
	p.h, p.headed = h, true
	return c.resume(b)
}

// resume adds the bytes of b to the partial frame and handles the frame once it is complete. It
// returns what follows the frame in b (nothing when the frame is still incomplete).
func (c *Conn) resume(b []byte) ([]byte, bool) {
	p := c.part
	if !p.headed {
		for {
			size := 2
			if p.hn >= 2 {
				size = headerSize(p.hdr[1])
				if p.hn == size {
					break
				}
			}
			if len(b) == 0 {
				return b, true
			}
			k := copy(p.hdr[p.hn:size], b)
			p.hn += k
			b = b[k:]
		}
		h, ok := c.header(p.hdr[:p.hn])
		if !ok {
			return nil, false
		}
		p.h, p.headed = h, true
	}
	n := int(p.h.Length)
	k := min(n-len(p.body), len(b))
	p.body = append(p.body, b[:k]...)
	b = b[k:]
	if len(p.body) < n {
		return b, true
	}
	h, body := p.h, p.body
	if !c.endPartial() {
		return nil, false
	}
	ws.Cipher(body, h.Mask, 0)
	return b, c.frame(h, body)
}

// header decodes and checks the complete frame header in b. A header that must close the
// connection closes it, and ok is false.
func (c *Conn) header(b []byte) (h ws.Header, ok bool) {
	h, ok = parseHeader(b)
	if !ok {
		return h, c.fail(ws.StatusProtocolError, "invalid payload length")
	}
	if code, reason := c.check(h); code != 0 {
		return h, c.fail(code, reason)
	}
	return h, true
}

// frame handles a complete frame with header h and unmasked payload p, which is valid only during
// the call. It reports false when the connection is closing.
func (c *Conn) frame(h ws.Header, p []byte) bool {
	switch {
	case h.OpCode.IsControl():
		return c.control(h.OpCode, p)
	case c.frag == nil && h.Fin:
		// A whole message in one frame, the common case.
		return c.deliver(h.OpCode, p)
	}
	if c.frag == nil {
		c.frag = &fragment{op: h.OpCode}
	}
	f := c.frag
	f.buf = append(f.buf, p...)
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

// readEnded closes the connection whose socket reported its end or an error: the client went away
// without a close frame (1006).
func (c *Conn) readEnded() {
	c.shut(ws.StatusAbnormalClosure, "", nil, false)
}
