package routeselect

import "strings"

// defaultExpression is the expression text API Gateway treats as "always the default".
const defaultExpression = "$default"

// bodyPrefix starts the one namespace whose unbraced names may hold gjson path characters.
const bodyPrefix = "request.body."

// parse compiles s into segments. Grammar:
//
//   - "\$" is a literal "$"; every other character outside a variable is literal text.
//   - "${name}" is a variable; name runs to the first "}".
//   - "$name" is a variable; name runs while characters are letters, digits, '_', '-' or '.'.
//     Under "request.body." the name (a gjson path) runs instead to the first whitespace,
//     '$', '{' or '}', so paths such as "items.#" or "data.room|@reverse" need no braces.
func parse(s string) ([]segment, error) {
	var (
		segs []segment
		lit  strings.Builder
	)
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, segment{kind: kindLiteral, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '$':
			lit.WriteByte('$')
			i += 2
		case s[i] == '$':
			seg, next, err := parseVariable(s, i)
			if err != nil {
				return nil, err
			}
			flush()
			segs = append(segs, seg)
			i = next
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return segs, nil
}

// parseVariable compiles the variable that starts with the '$' at s[at] and returns it with
// the offset just past it.
func parseVariable(s string, at int) (segment, int, error) {
	fail := func(offset int, part, reason string) (segment, int, error) {
		return segment{}, 0, &ParseError{Expression: s, Offset: offset, Part: part, Reason: reason}
	}
	var name string
	var nameAt, next int
	if at+1 < len(s) && s[at+1] == '{' {
		end := strings.IndexByte(s[at+2:], '}')
		if end < 0 {
			return fail(at, "${", "unclosed variable")
		}
		nameAt = at + 2
		name = s[nameAt : nameAt+end]
		next = nameAt + end + 1
	} else {
		nameAt = at + 1
		next = nameAt
		if strings.HasPrefix(s[nameAt:], bodyPrefix) {
			next += len(bodyPrefix)
			for next < len(s) && isPathByte(s[next]) {
				next++
			}
		} else {
			for next < len(s) && isNameByte(s[next]) {
				next++
			}
		}
		name = s[nameAt:next]
	}
	if name == "" {
		return fail(at, s[at:next], "variable without a name")
	}
	seg, reason := resolveVariable(name)
	if reason != "" {
		return fail(nameAt, name, reason)
	}
	return seg, next, nil
}

// isNameByte reports whether c may continue an unbraced variable name.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.'
}

// isPathByte reports whether c may continue an unbraced gjson path under request.body.
func isPathByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', '$', '{', '}':
		return false
	}
	return true
}
