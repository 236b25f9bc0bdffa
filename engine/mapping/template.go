package mapping

import "github.com/tidwall/gjson"

// Template is a compiled mapping template. It is immutable and safe for concurrent use.
type Template struct {
	src   string
	nodes []node
}

type nodeKind uint8

const (
	kindText    nodeKind = iota // text
	kindBody                    // $input.body
	kindJSON                    // $input.json(path)
	kindPath                    // $input.path(path)
	kindParam                   // $input.params(name)
	kindContext                 // $context.name
	kindStage                   // $stageVariables.name
	kindUtil                    // $util.fn(arg)
)

// node is one piece of a compiled template: literal text or a reference.
type node struct {
	kind      nodeKind
	quiet     bool      // $!: render nothing when missing
	undefined bool      // kindText standing for a reference that never has a value (parsing only)
	text      string    // kindText: the text; kindParam, kindContext, kindStage: the name
	src       string    // the reference's source text, rendered when it is missing and not quiet
	off       int       // byte offset of the reference in the template, for errors
	path      *jsonPath // kindJSON, kindPath
	fn        utilFunc  // kindUtil
	name      string    // kindUtil: the function's name, for errors
	arg       *node     // kindUtil: the argument
}

// Parse compiles a mapping template. Errors are *Error values carrying line and column.
func Parse(src string) (*Template, error) {
	p := parser{src: src}
	nodes, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Template{src: src, nodes: nodes}, nil
}

// Source returns the template's source text.
func (t *Template) Source() string { return t.src }

// IsPassthrough reports whether the template is exactly `$input.body` (lets callers skip rendering).
// The formal and quiet spellings `${input.body}` and `$!input.body` count too.
func (t *Template) IsPassthrough() bool {
	return len(t.nodes) == 1 && t.nodes[0].kind == kindBody
}

// Render appends the rendered template to dst and returns it. The body returned by v.Body must not
// overlap dst. On error, Render returns dst with its original length and an *Error.
func (t *Template) Render(dst []byte, v Vars) ([]byte, error) {
	n0 := len(dst)
	s := scope{v: v}
	for i := range t.nodes {
		n := &t.nodes[i]
		var ok bool
		var err *renderError
		dst, ok, err = s.render(dst, n)
		if err != nil {
			return dst[:n0], errorAt(t.src, err.off, "$util."+err.node.name, err.cause)
		}
		if !ok && !n.quiet {
			dst = append(dst, n.src...)
		}
	}
	return dst, nil
}

// scope holds what one Render call computes at most once.
type scope struct {
	v       Vars
	body    string
	checked bool // body and valid are set
	valid   bool // body is valid JSON
}

// renderError is a failed $util call, turned into an *Error by Render.
type renderError struct {
	off   int
	node  *node
	cause error
}

// jsonBody returns the body as a string when it is valid JSON.
func (s *scope) jsonBody() (string, bool) {
	if !s.checked {
		s.checked = true
		s.body = bytesString(s.v.Body())
		s.valid = gjson.Valid(s.body)
	}
	return s.body, s.valid
}

// render appends node n; ok is false when n is missing, and then dst is unchanged.
func (s *scope) render(dst []byte, n *node) (_ []byte, ok bool, _ *renderError) {
	switch n.kind {
	case kindText:
		return append(dst, n.text...), true, nil
	case kindJSON:
		if body, valid := s.jsonBody(); valid {
			if raw, found := n.path.lookup(body); found {
				return appendCompact(dst, raw), true, nil
			}
		}
		return append(dst, "null"...), true, nil
	case kindPath:
		if body, valid := s.jsonBody(); valid {
			if raw, found := n.path.lookup(body); found {
				return appendValue(dst, raw), true, nil
			}
		}
		return dst, true, nil
	case kindUtil:
		return s.renderUtil(dst, n)
	}
	in, ok := s.value(n)
	if !ok {
		return dst, false, nil
	}
	return append(dst, in...), true, nil
}

// value returns the value of a reference that is a plain string, without rendering it.
func (s *scope) value(n *node) (string, bool) {
	switch n.kind {
	case kindBody:
		return bytesString(s.v.Body()), true
	case kindParam:
		v, _ := s.v.Param(n.text)
		return v, true
	case kindContext:
		return s.v.Context(n.text)
	case kindStage:
		return s.v.StageVariable(n.text)
	}
	return "", false
}

// renderUtil appends fn(arg). Plain arguments are passed straight through; others are rendered at the
// end of dst, transformed, and the transformed bytes moved down over the argument.
func (s *scope) renderUtil(dst []byte, n *node) ([]byte, bool, *renderError) {
	var err error
	switch n.arg.kind {
	case kindBody, kindParam, kindContext, kindStage:
		in, ok := s.value(n.arg)
		if !ok {
			return dst, false, nil
		}
		if dst, err = n.fn(dst, in); err != nil {
			return dst, false, &renderError{off: n.off, node: n, cause: err}
		}
		return dst, true, nil
	}
	mark := len(dst)
	dst, ok, rerr := s.render(dst, n.arg)
	if rerr != nil || !ok {
		return dst[:mark], false, rerr
	}
	end := len(dst)
	// dst[mark:end] is only read by fn, which appends past end; if append reallocates, the string
	// still refers to the old array, which stays valid.
	if dst, err = n.fn(dst, bytesString(dst[mark:end])); err != nil {
		return dst[:mark], false, &renderError{off: n.off, node: n, cause: err}
	}
	k := copy(dst[mark:], dst[end:])
	return dst[:mark+k], true, nil
}
