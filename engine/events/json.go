package events

import (
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONBytes is appendJSONString for a byte slice, without converting it.
func appendJSONBytes(dst []byte, b []byte) []byte {
	// The conversion does not escape: the compiler passes the bytes through for a read-only use.
	return AppendJSONString(dst, unsafeString(b))
}

func appendKey(dst []byte, key string) []byte {
	dst = AppendJSONString(dst, key)
	return append(dst, ':')
}

func appendStringField(dst []byte, key, value string) []byte {
	dst = appendKey(dst, key)
	return AppendJSONString(dst, value)
}

func appendIntField(dst []byte, key string, v int64) []byte {
	dst = appendKey(dst, key)
	return strconv.AppendInt(dst, v, 10)
}

// appendStringMap appends {"k":"v",...} in the given key order.
func appendStringMap(dst []byte, keys []string, get func(string) string) []byte {
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendStringField(dst, k, get(k))
	}
	return append(dst, '}')
}

// appendMultiMap appends {"k":["v1","v2"],...} in the given key order.
func appendMultiMap(dst []byte, keys []string, get func(string) []string) []byte {
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKey(dst, k)
		dst = append(dst, '[')
		for j, v := range get(k) {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, v)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}
