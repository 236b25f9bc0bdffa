package mapping

import (
	"errors"
	"regexp"
	"strings"
)

// compileJavaRegex compiles a java.util.regex pattern with Go's regexp. The syntax the two share
// (classes, groups, quantifiers, anchors, \d \w \s, named groups (?<name>...)) means the same; what RE2
// lacks (backreferences, lookaround, possessive quantifiers) fails to compile.
func compileJavaRegex(pat string) (*regexp.Regexp, error) {
	// Java spells named groups (?<name>...); Go accepts that spelling too (Go 1.22+).
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, errors.New("regular expression: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ") + " (patterns run with Go's RE2 syntax: no backreferences or lookaround)")
	}
	return re, nil
}

// javaReplacement converts a Matcher.replaceAll replacement ($1, ${name}, \$ for a literal $) into
// regexp.Expand's template syntax.
func javaReplacement(repl string, groups int) (string, error) {
	if !strings.ContainsAny(repl, `$\`) {
		return repl, nil
	}
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return "", errors.New("character to be escaped is missing")
			}
			if repl[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(repl[i])
			}
		case '$':
			i++
			if i >= len(repl) {
				return "", errors.New("illegal group reference: group index is missing")
			}
			if repl[i] == '{' {
				j := strings.IndexByte(repl[i:], '}')
				if j < 0 {
					return "", errors.New("named capturing group is missing trailing '}'")
				}
				b.WriteString("${" + repl[i+1:i+j] + "}")
				i += j
				continue
			}
			if repl[i] < '0' || repl[i] > '9' {
				return "", errors.New("illegal group reference")
			}
			// Java reads as many digits as still name an existing group.
			n := int(repl[i] - '0')
			if n > groups {
				return "", errors.New("no group " + repl[i:i+1])
			}
			j := i + 1
			for j < len(repl) && repl[j] >= '0' && repl[j] <= '9' {
				m := n*10 + int(repl[j]-'0')
				if m > groups {
					break
				}
				n = m
				j++
			}
			b.WriteString("${" + repl[i:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
