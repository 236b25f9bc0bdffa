package routeselect

import (
	"strings"
	"unsafe"
)

// Expression is a compiled selection expression such as $request.body.action. It is
// immutable and safe for concurrent use.
type Expression struct {
	src       string
	segs      []segment
	isDefault bool
	usesBody  bool
	variables int
}

// Parse compiles a selection expression. An error (a *ParseError) names the offending part
// and its offset. The text "$default" alone is the default expression; "\$default" is the
// literal text "$default".
func Parse(s string) (*Expression, error) {
	if s == "" {
		return nil, &ParseError{Expression: s, Reason: "empty expression"}
	}
	if s == defaultExpression {
		return &Expression{src: s, isDefault: true}, nil
	}
	segs, err := parse(s)
	if err != nil {
		return nil, err
	}
	e := &Expression{src: s, segs: segs}
	for _, seg := range segs {
		if seg.kind != kindLiteral {
			e.variables++
		}
		e.usesBody = e.usesBody || seg.usesBody()
	}
	return e, nil
}

// MustParse is Parse for tests and constants: it panics when s does not compile.
func MustParse(s string) *Expression {
	e, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return e
}

// String returns the source text of the expression.
func (e *Expression) String() string { return e.src }

// IsDefault reports whether the expression is $default.
func (e *Expression) IsDefault() bool { return e.isDefault }

// Variables lists the variables the expression references, as written without "$" and braces
// ("request.header.x", "context.requestId").
func (e *Expression) Variables() []string {
	var out []string
	for _, s := range e.segs {
		if s.kind != kindLiteral {
			out = append(out, s.source)
		}
	}
	return out
}

// UsesBody reports whether the expression references request.body.
func (e *Expression) UsesBody() bool { return e.usesBody }

// Evaluate returns the expression's value for a message body (JSON text) and optional source.
// ok is false when the body is referenced but is not valid JSON, or when every referenced
// variable is missing (so the caller falls back to $default). src may be nil. Missing
// variables among present ones evaluate to "". The default expression evaluates to
// "$default"; an expression without variables to its literal text. Values are substituted
// once: a value containing "$x" is not evaluated again.
func (e *Expression) Evaluate(body []byte, src Source) (value string, ok bool) {
	if e.isDefault {
		return defaultExpression, true
	}
	view := bytesView(body)
	if len(e.segs) == 1 {
		v, ok := e.single(view, src)
		if !ok {
			return "", false
		}
		if e.usesBody {
			v = strings.Clone(v) // v may alias body, which the caller may reuse.
		}
		return v, true
	}
	b, ok := e.appendTo(nil, view, src)
	if !ok {
		return "", false
	}
	return string(b), true
}

// single evaluates an expression of exactly one segment without building a buffer.
// The result may alias body.
func (e *Expression) single(body string, src Source) (string, bool) {
	seg := &e.segs[0]
	if seg.kind == kindLiteral {
		return seg.text, true
	}
	if seg.kind == kindBodyPath && simpleKey(seg.text) {
		// One pass validates the body and finds the member.
		res, valid := lookupTop(body, seg.text)
		if !valid {
			return "", false
		}
		return bodyValue(res)
	}
	if e.usesBody && !validJSON(body) {
		return "", false
	}
	return seg.lookup(body, src)
}

// appendTo appends the expression's value to dst.
func (e *Expression) appendTo(dst []byte, body string, src Source) ([]byte, bool) {
	if e.usesBody && !validJSON(body) {
		return dst, false
	}
	found := false
	for i := range e.segs {
		seg := &e.segs[i]
		if seg.kind == kindLiteral {
			dst = append(dst, seg.text...)
			continue
		}
		var ok bool
		dst, ok = seg.appendLookup(dst, body, src)
		found = found || ok
	}
	if e.variables > 0 && !found {
		return dst, false
	}
	return dst, true
}

// bytesView returns b as a string without copying. The string is valid only while b is
// unchanged, so nothing derived from it may outlive the call that made it.
func bytesView(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
