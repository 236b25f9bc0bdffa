package mapping

import (
	"errors"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// jsonPath is a JSONPath compiled to gjson syntax.
type jsonPath struct {
	// gjson is the whole path in gjson syntax; empty for the root `$`.
	gjson string
	// steps hold one gjson component per JSONPath step; used instead of gjson when stepwise is set.
	steps []pathStep
	// stepwise is set when a single gjson path could mean something else than the JSONPath: an index
	// (gjson also reads it as an object key), a key made of digits (gjson also reads it as an index), or
	// an empty key. Such paths are evaluated one step at a time, checking the container type.
	stepwise bool
}

type pathStep struct {
	component string // gjson path component (escaped key or decimal index)
	index     bool   // the step indexes an array; otherwise it names an object key
}

// compileJSONPath translates a JSONPath of the supported subset. The returned error's offset is the
// byte offset within p where the problem starts.
func compileJSONPath(p string) (jsonPath, int, error) {
	var jp jsonPath
	if p == "" || p[0] != '$' {
		return jp, 0, errors.New("JSONPath must start with $")
	}
	var keys []string
	i := 1
	for i < len(p) {
		start := i
		switch p[i] {
		case '.':
			i++
			if i < len(p) && p[i] == '.' {
				return jp, start, errors.New("JSONPath recursive descent (..) is not supported")
			}
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				if strings.IndexByte("*?()@'\"]", p[j]) >= 0 {
					return jp, j, errors.New("JSONPath character " + strconv.QuoteRune(rune(p[j])) + " in a name is not supported (use ['name'])")
				}
				j++
			}
			if j == i {
				return jp, start, errors.New("JSONPath . needs a name")
			}
			keys = append(keys, p[i:j])
			jp.steps = append(jp.steps, pathStep{component: gjson.Escape(p[i:j])})
			i = j
		case '[':
			i++
			for i < len(p) && p[i] == ' ' {
				i++
			}
			if i >= len(p) {
				return jp, start, errors.New("JSONPath [ is not closed")
			}
			switch c := p[i]; {
			case c == '\'' || c == '"':
				key, end, ok := scanPathKey(p, i)
				if !ok {
					return jp, i, errors.New("JSONPath quoted name is not closed")
				}
				i = end
				keys = append(keys, key)
				jp.steps = append(jp.steps, pathStep{component: gjson.Escape(key)})
			case c >= '0' && c <= '9':
				j := i
				for j < len(p) && p[j] >= '0' && p[j] <= '9' {
					j++
				}
				if _, err := strconv.ParseUint(p[i:j], 10, 31); err != nil {
					return jp, i, errors.New("JSONPath index " + p[i:j] + " is out of range")
				}
				n, _ := strconv.Atoi(p[i:j])
				keys = append(keys, strconv.Itoa(n))
				jp.steps = append(jp.steps, pathStep{component: strconv.Itoa(n), index: true})
				jp.stepwise = true
				i = j
			case c == '*':
				return jp, i, errors.New("JSONPath wildcard [*] is not supported")
			case c == '?':
				return jp, i, errors.New("JSONPath filter [?()] is not supported")
			case c == '-':
				return jp, i, errors.New("JSONPath negative index is not supported")
			case c == ':':
				return jp, i, errors.New("JSONPath slice is not supported")
			default:
				return jp, i, errors.New("JSONPath [ must hold an index or a quoted name")
			}
			for i < len(p) && p[i] == ' ' {
				i++
			}
			if i >= len(p) {
				return jp, start, errors.New("JSONPath [ is not closed")
			}
			switch p[i] {
			case ']':
				i++
			case ',':
				return jp, i, errors.New("JSONPath union [a,b] is not supported")
			case ':':
				return jp, i, errors.New("JSONPath slice is not supported")
			default:
				return jp, i, errors.New("JSONPath expected ]")
			}
		default:
			return jp, i, errors.New("JSONPath unexpected " + strconv.QuoteRune(rune(p[i])) + " (steps start with . or [)")
		}
	}
	for i, s := range jp.steps {
		if !s.index && (keys[i] == "" || isDigits(keys[i])) {
			jp.stepwise = true
		}
	}
	components := make([]string, len(jp.steps))
	for i, s := range jp.steps {
		components[i] = s.component
	}
	jp.gjson = strings.Join(components, ".")
	return jp, 0, nil
}

// scanPathKey reads a quoted name starting at p[i] (the quote); a backslash escapes the next byte.
func scanPathKey(p string, i int) (key string, end int, ok bool) {
	q := p[i]
	var b strings.Builder
	for j := i + 1; j < len(p); j++ {
		switch p[j] {
		case q:
			return b.String(), j + 1, true
		case '\\':
			j++
			if j == len(p) {
				return "", 0, false
			}
		}
		b.WriteByte(p[j])
	}
	return "", 0, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lookup returns the raw JSON text of the value at the path in body, which must be valid JSON.
func (jp *jsonPath) lookup(body string) (string, bool) {
	if len(jp.steps) == 0 {
		return trimSpace(body), true
	}
	if !jp.stepwise {
		r := gjson.Get(body, jp.gjson)
		return r.Raw, r.Exists()
	}
	cur := body
	for _, s := range jp.steps {
		cur = trimSpace(cur)
		want := byte('{')
		if s.index {
			want = '['
		}
		if cur == "" || cur[0] != want {
			return "", false
		}
		r := gjson.Get(cur, s.component)
		if !r.Exists() {
			return "", false
		}
		cur = r.Raw
	}
	return cur, true
}

func trimSpace(s string) string {
	for len(s) > 0 && isJSONSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isJSONSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
