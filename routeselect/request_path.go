package routeselect

import "strings"

// ValidPath reports whether a request path can be matched: empty (the root) or starting
// with "/", and every '%' starting a two-hex-digit escape. The path is the raw, escaped
// path after the stage prefix, without the query string. HTTPRouter.Match and
// ResourceTree.Match match nothing for an invalid path, not even $default; the caller
// answers 400 Bad Request.
func ValidPath(path string) bool {
	if path != "" && path[0] != '/' {
		return false
	}
	for i := strings.IndexByte(path, '%'); i >= 0; {
		if i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2]) {
			return false
		}
		next := strings.IndexByte(path[i+3:], '%')
		if next < 0 {
			break
		}
		i += 3 + next
	}
	return true
}

// splitPath validates path and returns what follows its leading "/" and whether any
// segment follows at all: "" and "/" have none, "/pets/" has "pets" and "".
func splitPath(path string) (rest string, more, ok bool) {
	if !ValidPath(path) {
		return "", false, false
	}
	if len(path) <= 1 {
		return "", false, true
	}
	return path[1:], true, true
}

// cutSegment returns the first segment of rest (still escaped), what follows the "/"
// after it, and whether another segment follows.
func cutSegment(rest string) (seg, next string, more bool) {
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return rest, "", false
	}
	return rest[:i], rest[i+1:], true
}

// unescape decodes %XX escapes in s, which ValidPath has accepted. It returns s itself,
// without allocating, when s holds no escape. "+" stays "+": this is a path, not a query.
func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	return string(appendUnescaped(make([]byte, 0, len(s)), s))
}

// appendUnescaped appends s to dst with %XX escapes decoded. s must be valid (ValidPath).
func appendUnescaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}
