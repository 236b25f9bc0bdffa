package routeselect

import (
	"fmt"
	"strings"
)

// TemplateError reports a route key or resource path that cannot be compiled, or two that
// cannot live in one router.
type TemplateError struct {
	// Kind says what Text is: "route key", "resource path" or "resource method".
	Kind string
	// Text is the full route key, resource path or "METHOD path" handed in.
	Text string
	// Part is the offending part of Text (a segment, a method, a conflicting route), possibly empty.
	Part string
	// Reason says what is wrong with Part.
	Reason string
}

// Error names the kind, the text, the reason and the offending part.
func (e *TemplateError) Error() string {
	if e.Part == "" {
		return fmt.Sprintf("routeselect: %s %q: %s", e.Kind, e.Text, e.Reason)
	}
	return fmt.Sprintf("routeselect: %s %q: %s %q", e.Kind, e.Text, e.Reason, e.Part)
}

// segmentKind tells what one segment of a path template matches. The order is the priority
// order: a literal beats a variable, which beats a greedy variable.
type segmentKind uint8

const (
	segmentLiteral  segmentKind = iota // its text, compared with the decoded request segment
	segmentVariable                    // {name}: one whole, non-empty segment
	segmentGreedy                      // {name+}: the non-empty rest of the path; last only
)

// pathSegment is one segment of a compiled path template.
type pathSegment struct {
	kind segmentKind
	// text is the literal text, or the variable's name without braces and "+".
	text string
}

// pathTemplate is a compiled path such as /pets/{petId} or /{proxy+}. It is immutable.
type pathTemplate struct {
	path string
	segs []pathSegment
}

// parsePathTemplate compiles path. kind and text name the whole (a route key, a resource)
// in the error. Grammar: "/" alone, or "/" followed by segments separated by "/", each a
// non-empty literal, a whole-segment {name}, or a final {name+}. Variable names are unique
// within a template.
func parsePathTemplate(kind, text, path string) (pathTemplate, error) {
	fail := func(part, reason string) (pathTemplate, error) {
		return pathTemplate{}, &TemplateError{Kind: kind, Text: text, Part: part, Reason: reason}
	}
	switch {
	case path == "":
		return fail("", "missing path")
	case path[0] != '/':
		return fail(path, "path must start with /")
	case path == "/":
		return pathTemplate{path: path}, nil
	}
	tpl := pathTemplate{path: path, segs: make([]pathSegment, 0, strings.Count(path, "/"))}
	rest := path[1:]
	for more := true; more; {
		var seg string
		seg, rest, more = cutSegment(rest)
		if seg == "" {
			if more {
				return fail("//", "empty path segment")
			}
			return fail("/", "trailing slash")
		}
		if seg[0] != '{' {
			if strings.ContainsAny(seg, "{}") {
				return fail(seg, "variable must be a whole segment")
			}
			if strings.IndexFunc(seg, invalidTemplateRune) >= 0 {
				return fail(seg, "invalid character in path segment")
			}
			tpl.segs = append(tpl.segs, pathSegment{kind: segmentLiteral, text: seg})
			continue
		}
		if len(seg) < 2 || seg[len(seg)-1] != '}' || strings.ContainsAny(seg[1:len(seg)-1], "{}") {
			return fail(seg, "variable must be a whole segment")
		}
		name, k := seg[1:len(seg)-1], segmentVariable
		if trimmed, greedy := strings.CutSuffix(name, "+"); greedy {
			name, k = trimmed, segmentGreedy
		}
		switch {
		case name == "":
			return fail(seg, "variable without a name")
		case strings.IndexFunc(name, invalidNameRune) >= 0:
			return fail(seg, "invalid character in variable name")
		case k == segmentGreedy && more:
			return fail(seg, "greedy variable must be the last segment")
		case tpl.hasVariable(name):
			return fail(seg, "duplicate variable name")
		}
		tpl.segs = append(tpl.segs, pathSegment{kind: k, text: name})
	}
	return tpl, nil
}

// hasVariable reports whether the template already holds a variable called name.
func (t *pathTemplate) hasVariable(name string) bool {
	for _, s := range t.segs {
		if s.kind != segmentLiteral && s.text == name {
			return true
		}
	}
	return false
}

// appendParams appends the template's path parameters, decoded, for a request path that
// the template matches. rest and more are as splitPath returns them.
func (t *pathTemplate) appendParams(params []Param, rest string, more bool) []Param {
	for _, s := range t.segs {
		if !more {
			break // unreachable for a matching path; guards against misuse
		}
		if s.kind == segmentGreedy {
			return append(params, Param{Name: s.text, Value: unescape(rest)})
		}
		var seg string
		seg, rest, more = cutSegment(rest)
		if s.kind == segmentVariable {
			params = append(params, Param{Name: s.text, Value: unescape(seg)})
		}
	}
	return params
}

// invalidTemplateRune reports characters a literal template segment may not hold: escapes,
// query and fragment delimiters, spaces and control characters. Literals are compared with
// decoded request segments, so they are written unescaped.
func invalidTemplateRune(r rune) bool {
	switch r {
	case '%', '?', '#':
		return true
	}
	return r <= ' ' || r == 0x7f
}

// invalidNameRune reports characters a variable name may not hold.
func invalidNameRune(r rune) bool {
	return r == '+' || r == '/' || invalidTemplateRune(r)
}
