package transport

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// maxHeaderBytes is the size of the longest frame header (64-bit length and a mask).
const maxHeaderBytes = ws.MaxHeaderSize

// headerSize returns the size of the header whose first two bytes are b0 and b1.
func headerSize(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// parseHeader decodes the complete header in b (len(b) == headerSize(b[1])). ok is false when the
// 64-bit length has its most significant bit set, which RFC 6455 forbids.
func parseHeader(b []byte) (h ws.Header, ok bool) {
	h.Fin = b[0]&0x80 != 0
	h.Rsv = (b[0] & 0x70) >> 4
	h.OpCode = ws.OpCode(b[0] & 0x0f)
	h.Masked = b[1]&0x80 != 0
	rest := b[2:]
	switch l := b[1] & 0x7f; l {
	case 126:
		h.Length = int64(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
	case 127:
		if rest[0]&0x80 != 0 {
			return h, false
		}
		h.Length = int64(binary.BigEndian.Uint64(rest))
		rest = rest[8:]
	default:
		h.Length = int64(l)
	}
	if h.Masked {
		copy(h.Mask[:], rest)
	}
	return h, true
}

// putHeader writes an unmasked, final frame header for op and a payload of n bytes into b (at least
// maxHeaderBytes long) and returns its size.
func putHeader(b []byte, op ws.OpCode, n int) int {
	b[0] = 0x80 | byte(op)
	switch {
	case n < 126:
		b[1] = byte(n)
		return 2
	case n <= 0xffff:
		b[1] = 126
		binary.BigEndian.PutUint16(b[2:], uint16(n))
		return 4
	default:
		b[1] = 127
		binary.BigEndian.PutUint64(b[2:], uint64(n))
		return 10
	}
}

// maxCloseReason is the longest close reason that fits a control frame next to its code.
const maxCloseReason = ws.MaxControlFramePayloadSize - 2

// validCloseCode reports whether a client may send code in a close frame: the codes RFC 6455 and
// the IANA registry define for use on the wire, and the 3000-4999 ranges left to applications.
func validCloseCode(code ws.StatusCode) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// parseClosePayload decodes a client's close frame payload. ok is false for a 1-byte payload, a code
// a client may not send, or a reason that is not valid UTF-8. An empty payload yields 1005.
func parseClosePayload(p []byte) (code ws.StatusCode, reason []byte, ok bool) {
	switch len(p) {
	case 0:
		return ws.StatusNoStatusRcvd, nil, true
	case 1:
		return 0, nil, false
	}
	code = ws.StatusCode(binary.BigEndian.Uint16(p))
	reason = p[2:]
	return code, reason, validCloseCode(code) && utf8.Valid(reason)
}

// putClosePayload writes code and reason, cut to fit a control frame on a rune boundary, into b (at
// least ws.MaxControlFramePayloadSize long) and returns the payload size.
func putClosePayload(b []byte, code ws.StatusCode, reason string) int {
	if len(reason) > maxCloseReason {
		cut := maxCloseReason
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut]
	}
	binary.BigEndian.PutUint16(b, uint16(code))
	return 2 + copy(b[2:], reason)
}
