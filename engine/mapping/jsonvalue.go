package mapping

import (
	"unicode/utf16"
	"unicode/utf8"
)

// appendCompact appends the JSON text raw (valid JSON) without whitespace outside strings.
func appendCompact(dst []byte, raw string) []byte {
	inString := false
	start := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case isJSONSpace(c):
			dst = append(dst, raw[start:i]...)
			start = i + 1
		}
	}
	return append(dst, raw[start:]...)
}

// appendValue appends a JSON value the way $input.path renders it: strings unquoted, others compact.
func appendValue(dst []byte, raw string) []byte {
	if len(raw) >= 2 && raw[0] == '"' {
		return appendUnquoted(dst, raw[1:len(raw)-1])
	}
	return appendCompact(dst, raw)
}

// appendUnquoted appends the content of a valid JSON string literal (without its quotes), unescaped.
func appendUnquoted(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		if i+1 >= len(s) {
			return dst
		}
		i++
		switch s[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := decodeU(s[i+1:])
			i += n
			if utf16.IsSurrogate(r) {
				r2, n2 := decodeU(trimPrefixU(s[i+1:]))
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError && n2 > 0 {
					r = dec
					i += 2 + n2
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, s[i])
		}
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// decodeU reads four hex digits; it returns the rune and how many bytes it consumed (0 if invalid).
func decodeU(s string) (rune, int) {
	if len(s) < 4 {
		return utf8.RuneError, 0
	}
	var r rune
	for i := 0; i < 4; i++ {
		v, ok := hexValue(s[i])
		if !ok {
			return utf8.RuneError, 0
		}
		r = r<<4 | rune(v)
	}
	return r, 4
}

// trimPrefixU returns what follows a leading `\u`, or "" if s does not start with one.
func trimPrefixU(s string) string {
	if len(s) >= 2 && s[0] == '\\' && s[1] == 'u' {
		return s[2:]
	}
	return ""
}

func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
