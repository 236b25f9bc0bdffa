package routeselect

import (
	"fmt"
	"regexp"
)

// Pattern is a compiled /regex/ selection key, as used for integration response selection
// (/2\d\d/). It matches whole strings only, as API Gateway does: /Error/ does not match
// "Error: x". The regular expression is Go's RE2 syntax, which covers the common subset of
// the Java syntax API Gateway documents (no backreferences or lookaround). A Pattern is
// immutable and safe for concurrent use.
type Pattern struct {
	src string
	re  *regexp.Regexp
}

// IsPattern reports whether s has the /regex/ form ParsePattern accepts.
func IsPattern(s string) bool {
	return len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/'
}

// ParsePattern compiles a /regex/ selection key.
func ParsePattern(s string) (*Pattern, error) {
	if !IsPattern(s) {
		return nil, fmt.Errorf("routeselect: pattern %q: want the form /regex/", s)
	}
	re, err := compileWhole(s[1 : len(s)-1])
	if err != nil {
		return nil, fmt.Errorf("routeselect: pattern %q: %w", s, err)
	}
	return &Pattern{src: s, re: re}, nil
}

// CompilePattern compiles a bare regular expression (a REST integration response's
// selectionPattern, written without slashes) for whole-string matching.
func CompilePattern(expr string) (*Pattern, error) {
	re, err := compileWhole(expr)
	if err != nil {
		return nil, fmt.Errorf("routeselect: pattern %q: %w", expr, err)
	}
	return &Pattern{src: expr, re: re}, nil
}

// compileWhole compiles expr anchored at both ends. expr is compiled alone first so that
// an unbalanced expression such as "a)|(b" cannot escape the anchoring group.
func compileWhole(expr string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(expr); err != nil {
		return nil, err
	}
	return regexp.Compile(`^(?:` + expr + `)$`)
}

// Match reports whether the pattern matches all of s.
func (p *Pattern) Match(s string) bool { return p.re.MatchString(s) }

// String returns the pattern as it was written.
func (p *Pattern) String() string { return p.src }
