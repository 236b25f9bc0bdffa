package mapping

import (
	"encoding/base64"
	"errors"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// utilFunc is one of the $util functions: it appends f(in) to dst. in may alias bytes of dst below
// len(dst), so a utilFunc only appends and never writes to dst[:len(dst)].
type utilFunc func(dst []byte, in string) ([]byte, error)

// lookupUtil returns the $util function of that name ($util.parseJson, which returns a value, is
// handled by the evaluator).
func lookupUtil(name string) (utilFunc, bool) {
	switch name {
	case "escapeJavaScript":
		return escapeJavaScript, true
	case "base64Encode":
		return base64Encode, true
	case "base64Decode":
		return base64Decode, true
	case "urlEncode":
		return urlEncode, true
	case "urlDecode":
		return urlDecode, true
	}
	return nil, false
}

const upperHex = "0123456789ABCDEF"

// escapeJavaScript escapes as Apache Commons Lang's StringEscapeUtils.escapeJavaScript does, which is
// what API Gateway's $util.escapeJavaScript uses. Invalid UTF-8 bytes count as U+FFFD.
func escapeJavaScript(dst []byte, in string) ([]byte, error) {
	start := 0
	for i := 0; i < len(in); {
		c := in[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '\'' && c != '"' && c != '\\' && c != '/' {
			i++
			continue
		}
		dst = append(dst, in[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '\'', '"', '\\', '/':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = appendUnicodeEscape(dst, rune(c))
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(in[i:])
			if r > 0xFFFF {
				hi, lo := utf16EncodeRune(r)
				dst = appendUnicodeEscape(appendUnicodeEscape(dst, hi), lo)
			} else {
				dst = appendUnicodeEscape(dst, r)
			}
			i += size
		}
		start = i
	}
	return append(dst, in[start:]...), nil
}

func appendUnicodeEscape(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', upperHex[r>>12&0xF], upperHex[r>>8&0xF], upperHex[r>>4&0xF], upperHex[r&0xF])
}

func utf16EncodeRune(r rune) (hi, lo rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

// base64Encode encodes with the standard alphabet and padding.
func base64Encode(dst []byte, in string) ([]byte, error) {
	return base64.StdEncoding.AppendEncode(dst, readOnlyBytes(in)), nil
}

// base64Decode decodes the standard alphabet, with or without padding, as Java's basic decoder does.
func base64Decode(dst []byte, in string) ([]byte, error) {
	for i := 0; i < len(in); i++ {
		if in[i] == '\r' || in[i] == '\n' {
			return dst, errors.New("illegal base64 data at input byte " + strconv.Itoa(i))
		}
	}
	enc := base64.StdEncoding
	if len(in)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	n := len(dst)
	out, err := enc.AppendDecode(dst, readOnlyBytes(in))
	if err != nil {
		return dst[:n], err
	}
	return out, nil
}

// urlEncode encodes as Java's URLEncoder.encode(s, "UTF-8"): letters, digits and `.-*_` stay, space
// becomes `+`, every other byte becomes %XX.
func urlEncode(dst []byte, in string) ([]byte, error) {
	start := 0
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '*' || c == '_' {
			continue
		}
		dst = append(dst, in[start:i]...)
		if c == ' ' {
			dst = append(dst, '+')
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
		}
		start = i + 1
	}
	return append(dst, in[start:]...), nil
}

// urlDecode decodes as Java's URLDecoder.decode(s, "UTF-8"): `+` is a space, %XX a byte; a malformed
// escape is an error.
func urlDecode(dst []byte, in string) ([]byte, error) {
	n := len(dst)
	start := 0
	for i := 0; i < len(in); i++ {
		switch in[i] {
		case '+':
			dst = append(dst, in[start:i]...)
			dst = append(dst, ' ')
			start = i + 1
		case '%':
			dst = append(dst, in[start:i]...)
			if i+2 >= len(in) {
				return dst[:n], errors.New("incomplete escape at input byte " + strconv.Itoa(i))
			}
			hi, ok1 := hexValue(in[i+1])
			lo, ok2 := hexValue(in[i+2])
			if !ok1 || !ok2 {
				return dst[:n], errors.New("invalid escape " + strconv.Quote(in[i:i+3]) + " at input byte " + strconv.Itoa(i))
			}
			dst = append(dst, hi<<4|lo)
			i += 2
			start = i + 1
		}
	}
	return append(dst, in[start:]...), nil
}

// readOnlyBytes returns the bytes of s without copying; callers must not modify them.
func readOnlyBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// bytesString returns b as a string without copying; b must not change while the string is in use.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
