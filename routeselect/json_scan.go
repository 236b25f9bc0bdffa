package routeselect

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/tidwall/gjson"
)

// jsonScan validates a message body as JSON, and can find one member of its top-level object in
// the same pass. It accepts exactly what gjson.Valid accepts, but skips the inside of strings
// eight bytes at a time: a route selection pays for one fast pass over a large body instead of
// gjson.Valid's byte-at-a-time pass and then gjson.Get's second one.
type jsonScan struct {
	data []byte
	// key is the top-level member wanted; empty: none (validation only).
	key string
	// val and end bound the raw text of key's first member, when found; escaped is set when a
	// top-level key before it (or it) holds an escape, so the caller must ask gjson instead.
	val, end int
	found    bool
	escaped  bool
}

// simpleKey reports whether a gjson path is one plain object key (letters, digits, '_'), which
// jsonScan can resolve itself: gjson gives such a path no other meaning.
func simpleKey(path string) bool {
	if path == "" {
		return false
	}
	for i := 0; i < len(path); i++ {
		c := path[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// validJSON reports whether body is valid JSON, as gjson.Valid does.
func validJSON(body string) bool {
	s := jsonScan{data: stringBytes(body)}
	return s.payload()
}

// lookupTop returns gjson.Get(body, key) for a simple key and whether body is valid JSON, in one
// pass over body when it is an object.
func lookupTop(body, key string) (gjson.Result, bool) {
	s := jsonScan{data: stringBytes(body), key: key}
	if !s.payload() {
		return gjson.Result{}, false
	}
	if s.escaped || !s.isObject() {
		return gjson.Get(body, key), true
	}
	if !s.found {
		return gjson.Result{}, true
	}
	return gjson.Parse(body[s.val:s.end]), true
}

// stringBytes views s as bytes without copying; the bytes must not be modified.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// isObject reports whether the (valid) body's top-level value is an object.
func (s *jsonScan) isObject() bool {
	for _, c := range s.data {
		if !isSpace(c) {
			return c == '{'
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first non-space byte at or after i.
func (s *jsonScan) skipSpace(i int) int {
	for i < len(s.data) && isSpace(s.data[i]) {
		i++
	}
	return i
}

func (s *jsonScan) payload() bool {
	i := s.skipSpace(0)
	if i == len(s.data) {
		return false
	}
	i, ok := s.value(i, 0)
	if !ok {
		return false
	}
	return s.skipSpace(i) == len(s.data)
}

// value validates the value starting at i (after any space) and returns the index after it.
// depth is 0 for the top-level value.
func (s *jsonScan) value(i, depth int) (int, bool) {
	i = s.skipSpace(i)
	if i == len(s.data) {
		return i, false
	}
	switch c := s.data[i]; {
	case c == '{':
		return s.object(i+1, depth)
	case c == '[':
		return s.array(i+1, depth)
	case c == '"':
		j, _, ok := s.str(i + 1)
		return j, ok
	case c == '-' || c >= '0' && c <= '9':
		return s.number(i)
	case c == 't':
		return s.literal(i+1, "rue")
	case c == 'f':
		return s.literal(i+1, "alse")
	case c == 'n':
		return s.literal(i+1, "ull")
	}
	return i, false
}

func (s *jsonScan) literal(i int, rest string) (int, bool) {
	if len(s.data)-i >= len(rest) && string(s.data[i:i+len(rest)]) == rest {
		return i + len(rest), true
	}
	return i, false
}

func (s *jsonScan) object(i, depth int) (int, bool) {
	i = s.skipSpace(i)
	if i == len(s.data) {
		return i, false
	}
	if s.data[i] == '}' {
		return i + 1, true
	}
	for {
		if i == len(s.data) || s.data[i] != '"' {
			return i, false
		}
		start := i + 1
		end, esc, ok := s.str(start)
		if !ok {
			return end, false
		}
		want := depth == 0 && s.key != "" && !s.found && !s.escaped
		if want && esc {
			s.escaped = true
			want = false
		}
		want = want && string(s.data[start:end-1]) == s.key
		i = s.skipSpace(end)
		if i == len(s.data) || s.data[i] != ':' {
			return i, false
		}
		vstart := s.skipSpace(i + 1)
		if i, ok = s.value(vstart, depth+1); !ok {
			return i, false
		}
		if want {
			s.val, s.end, s.found = vstart, i, true
		}
		i = s.skipSpace(i)
		if i == len(s.data) {
			return i, false
		}
		switch s.data[i] {
		case '}':
			return i + 1, true
		case ',':
			i = s.skipSpace(i + 1)
		default:
			return i, false
		}
	}
}

func (s *jsonScan) array(i, depth int) (int, bool) {
	i = s.skipSpace(i)
	if i == len(s.data) {
		return i, false
	}
	if s.data[i] == ']' {
		return i + 1, true
	}
	for {
		var ok bool
		if i, ok = s.value(i, depth+1); !ok {
			return i, false
		}
		i = s.skipSpace(i)
		if i == len(s.data) {
			return i, false
		}
		switch s.data[i] {
		case ']':
			return i + 1, true
		case ',':
			i++
		default:
			return i, false
		}
	}
}

// SWAR constants: one in every byte, and the high bit of every byte.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// special marks, in the high bit of each byte, the bytes of w that end a plain run of string
// text: '"', '\\' and control characters. The lowest marked byte is exact.
func special(w uint64) uint64 {
	q := w ^ (lsb * '"')
	b := w ^ (lsb * '\\')
	return ((q-lsb)&^q | (b-lsb)&^b | (w-lsb*0x20)&^w) & msb
}

// str validates the string whose text starts at i (after the opening quote) and returns the
// index after the closing quote and whether the string holds an escape.
func (s *jsonScan) str(i int) (int, bool, bool) {
	d := s.data
	esc := false
	for {
		for len(d)-i >= 8 {
			m := special(binary.LittleEndian.Uint64(d[i:]))
			if m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		if i == len(d) {
			return i, esc, false
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1, esc, true
		case c < ' ':
			return i, esc, false
		case c == '\\':
			esc = true
			i++
			if i == len(d) {
				return i, esc, false
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for range 4 {
					i++
					if i >= len(d) || !isHex(d[i]) {
						return i, esc, false
					}
				}
				i++
			default:
				return i, esc, false
			}
		default:
			i++
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number validates the number starting at i, as gjson does.
func (s *jsonScan) number(i int) (int, bool) {
	d := s.data
	if d[i] == '-' {
		i++
		if i == len(d) || !isDigit(d[i]) {
			return i, false
		}
	}
	if d[i] == '0' {
		i++
	} else {
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i == len(d) || !isDigit(d[i]) {
			return i, false
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i == len(d) || !isDigit(d[i]) {
			return i, false
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	return i, true
}
