package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/gobwas/ws"
	"golang.org/x/sys/unix"
)

// maxReply bounds the size of a message the load client accepts.
const maxReply = 1 << 20

// dialTimeout bounds one connection's TCP connect and upgrade.
const dialTimeout = 10 * time.Second

// errClosed reports a close frame from the server.
var errClosed = errors.New("server sent a close frame")

// sourceIP returns the i-th client source address, cycling through 127.0.0.2 to 127.0.0.254 so that
// connection counts are not capped by one address's ports.
func sourceIP(i int) net.IP {
	return net.IPv4(127, 0, 0, byte(2+i%253))
}

// dialWS opens a WebSocket connection to url from source address src. The returned reader is non-nil
// when the server sent bytes right after its handshake response; read from it before the conn.
func dialWS(ctx context.Context, url string, src net.IP) (net.Conn, *bufio.Reader, error) {
	nd := &net.Dialer{
		LocalAddr: &net.TCPAddr{IP: src},
		Timeout:   dialTimeout,
		// Pick the source port at connect time from the whole 4-tuple, not at bind time.
		Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1)
			})
			return errors.Join(err, serr)
		},
	}
	d := ws.Dialer{NetDial: nd.DialContext, Timeout: dialTimeout}
	nc, br, _, err := d.Dial(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("dial %s from %s: %w", url, src, err)
	}
	return nc, br, nil
}

// maskedTextFrame returns payload as one final, masked text frame, as a client must send it.
func maskedTextFrame(payload []byte, key [4]byte) []byte {
	n := len(payload)
	f := make([]byte, 0, 14+n)
	f = append(f, 0x80|byte(ws.OpText))
	switch {
	case n < 126:
		f = append(f, 0x80|byte(n))
	case n <= 0xffff:
		f = append(f, 0x80|126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	default:
		f = append(f, 0x80|127)
		f = binary.BigEndian.AppendUint64(f, uint64(n))
	}
	f = append(f, key[:]...)
	for i, b := range payload {
		f = append(f, b^key[i&3])
	}
	return f
}

// frameReader reads server messages; it reuses its buffer, so a message is valid until the next read.
// Not safe for concurrent use.
type frameReader struct {
	r   io.Reader
	hdr [8]byte
	buf []byte
}

// readMessage reads one complete data message (joining fragments), skipping ping and pong frames.
func (fr *frameReader) readMessage() ([]byte, error) {
	fr.buf = fr.buf[:0]
	for {
		fin, op, _, err := fr.readFrame()
		if err != nil {
			return nil, err
		}
		switch op {
		case ws.OpClose:
			return nil, errClosed
		case ws.OpPing, ws.OpPong:
			continue
		}
		if fin {
			return fr.buf, nil
		}
	}
}

// readFrame reads one frame and appends its payload to fr.buf, returning the appended part.
func (fr *frameReader) readFrame() (fin bool, op ws.OpCode, payload []byte, err error) {
	if _, err = io.ReadFull(fr.r, fr.hdr[:2]); err != nil {
		return false, 0, nil, fmt.Errorf("read frame header: %w", err)
	}
	fin = fr.hdr[0]&0x80 != 0
	op = ws.OpCode(fr.hdr[0] & 0x0f)
	masked := fr.hdr[1]&0x80 != 0
	n := uint64(fr.hdr[1] & 0x7f)
	switch n {
	case 126:
		if _, err = io.ReadFull(fr.r, fr.hdr[:2]); err != nil {
			return false, 0, nil, fmt.Errorf("read frame length: %w", err)
		}
		n = uint64(binary.BigEndian.Uint16(fr.hdr[:2]))
	case 127:
		if _, err = io.ReadFull(fr.r, fr.hdr[:8]); err != nil {
			return false, 0, nil, fmt.Errorf("read frame length: %w", err)
		}
		n = binary.BigEndian.Uint64(fr.hdr[:8])
	}
	if n > maxReply || uint64(len(fr.buf))+n > maxReply {
		return false, 0, nil, fmt.Errorf("message over %d bytes", maxReply)
	}
	var key [4]byte
	if masked {
		if _, err = io.ReadFull(fr.r, key[:]); err != nil {
			return false, 0, nil, fmt.Errorf("read mask: %w", err)
		}
	}
	start := len(fr.buf)
	// Grow in steps, so that a length the stream does not back costs little.
	for rest := int(n); rest > 0; {
		step := min(rest, 64<<10)
		at := len(fr.buf)
		fr.buf = slices.Grow(fr.buf, step)[:at+step]
		if _, err = io.ReadFull(fr.r, fr.buf[at:]); err != nil {
			return false, 0, nil, fmt.Errorf("read frame payload: %w", err)
		}
		rest -= step
	}
	payload = fr.buf[start:]
	if masked {
		for i := range payload {
			payload[i] ^= key[i&3]
		}
	}
	if op.IsControl() {
		fr.buf = fr.buf[:start]
	}
	return fin, op, payload, nil
}
