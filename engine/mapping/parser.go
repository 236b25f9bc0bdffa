package mapping

import (
	"strconv"
	"strings"
)

// maxUtilDepth bounds how deeply $util calls nest.
const maxUtilDepth = 16

// parser compiles a template source into nodes.
type parser struct {
	src   string
	nodes []node
	text  strings.Builder // literal text not yet flushed into a node
}

// syntaxError reports a problem at byte offset off.
func (p *parser) syntaxError(off int, msg string) error {
	return errorAt(p.src, off, msg, nil)
}

func (p *parser) parse() ([]node, error) {
	src := p.src
	for i := 0; i < len(src); {
		j := strings.IndexAny(src[i:], `\$#`)
		if j < 0 {
			p.text.WriteString(src[i:])
			break
		}
		p.text.WriteString(src[i : i+j])
		i += j
		switch src[i] {
		case '\\':
			if i+1 < len(src) && (src[i+1] == '$' || src[i+1] == '#') {
				p.text.WriteByte(src[i+1])
				i += 2
			} else {
				p.text.WriteByte('\\')
				i++
			}
		case '#':
			if err := p.checkHash(i); err != nil {
				return nil, err
			}
			p.text.WriteByte('#')
			i++
		case '$':
			n, end, err := p.reference(i, 0)
			if err != nil {
				return nil, err
			}
			if end == i { // not a reference
				p.text.WriteByte('$')
				i++
				continue
			}
			p.flush()
			if n.kind == kindText {
				p.text.WriteString(n.text)
			} else {
				p.nodes = append(p.nodes, *n)
			}
			i = end
		}
	}
	p.flush()
	return p.nodes, nil
}

func (p *parser) flush() {
	if p.text.Len() > 0 {
		p.nodes = append(p.nodes, node{kind: kindText, text: p.text.String()})
		p.text.Reset()
	}
}

// isDirective reports whether name is one of VTL's directives; `#name` with one of them is rejected.
func isDirective(name string) bool {
	switch name {
	case "set", "if", "elseif", "else", "end", "foreach", "break", "stop",
		"include", "parse", "macro", "define", "evaluate", "literal":
		return true
	}
	return false
}

// checkHash rejects a directive, comment or unparsed block starting at the `#` at src[i]; any other `#`
// is literal text.
func (p *parser) checkHash(i int) error {
	rest := p.src[i+1:]
	switch {
	case strings.HasPrefix(rest, "#"):
		return p.syntaxError(i, `comment ## is not supported (write \# for a literal #)`)
	case strings.HasPrefix(rest, "*"):
		return p.syntaxError(i, `comment #* is not supported (write \# for a literal #)`)
	case strings.HasPrefix(rest, "[["):
		return p.syntaxError(i, "unparsed content #[[ is not supported")
	}
	formal := strings.HasPrefix(rest, "{")
	if formal {
		rest = rest[1:]
	}
	j := 0
	for j < len(rest) && isLetter(rest[j]) {
		j++
	}
	name := rest[:j]
	if formal && (j == len(rest) || rest[j] != '}') {
		return nil
	}
	if isDirective(name) {
		return p.syntaxError(i, "directive #"+name+" is not supported")
	}
	return nil
}

// reference parses a reference starting at the `$` at src[i]. When src[i:] is not a reference it
// returns end == i. A reference to an unknown name is returned as a text node holding what it renders.
func (p *parser) reference(i, depth int) (*node, int, error) {
	src := p.src
	j := i + 1
	quiet := j < len(src) && src[j] == '!'
	if quiet {
		j++
	}
	formal := j < len(src) && src[j] == '{'
	if formal {
		j++
	}
	if j >= len(src) || !isIdentStart(src[j]) {
		return nil, i, nil
	}
	rootStart := j
	root, j := scanIdent(src, j)
	n := &node{quiet: quiet, off: i}
	undefined := false // the reference can never have a value
	var err error
	switch root {
	case "input":
		j, err = p.input(n, i, j)
	case "context", "stageVariables":
		n.kind = kindContext
		if root == "stageVariables" {
			n.kind = kindStage
		}
		j, err = p.dottedName(n, i, j, "$"+root)
	case "util":
		j, undefined, err = p.util(n, i, j, depth)
	default:
		// Nothing can define other names in this subset: they always render as missing.
		undefined = true
		for j+1 < len(src) && src[j] == '.' && isIdentStart(src[j+1]) {
			nameStart := j + 1
			_, j = scanIdent(src, j+1)
			if j < len(src) && src[j] == '(' {
				return nil, 0, p.syntaxError(nameStart, "method call $"+src[rootStart:j]+"() on an undefined reference is not supported")
			}
		}
	}
	if err != nil {
		return nil, 0, err
	}
	if formal {
		if j >= len(src) || src[j] != '}' {
			return nil, 0, p.syntaxError(i, "${ is not closed by }")
		}
		j++
	} else if !undefined {
		if j+1 < len(src) && src[j] == '.' && isIdentStart(src[j+1]) {
			name, _ := scanIdent(src, j+1)
			return nil, 0, p.syntaxError(j, "member ."+name+" after "+src[i:j]+" is not supported")
		}
	}
	if !undefined && !formal && j < len(src) && src[j] == '[' {
		return nil, 0, p.syntaxError(j, "index notation after "+src[i:j]+" is not supported")
	}
	n.src = src[i:j]
	if undefined {
		*n = node{kind: kindText, src: n.src, off: i, undefined: true}
		if !quiet {
			n.text = n.src
		}
	}
	return n, j, nil
}

// input parses what follows `$input` at src[j].
func (p *parser) input(n *node, start, j int) (int, error) {
	src := p.src
	if j+1 >= len(src) || src[j] != '.' || !isIdentStart(src[j+1]) {
		return 0, p.syntaxError(start, "$input needs a member: .body, .json('...'), .path('...') or .params('...')")
	}
	memberStart := j + 1
	member, j := scanIdent(src, j+1)
	call := j < len(src) && src[j] == '('
	switch member {
	case "body":
		if call {
			return 0, p.syntaxError(memberStart, "$input.body() is not supported (write $input.body)")
		}
		n.kind = kindBody
		return j, nil
	case "json", "path", "params":
	default:
		return 0, p.syntaxError(memberStart, "$input."+member+" is not supported")
	}
	if !call {
		return 0, p.syntaxError(memberStart, "$input."+member+" needs an argument in parentheses")
	}
	j = skipSpace(src, j+1)
	if j < len(src) && src[j] == ')' {
		return 0, p.syntaxError(memberStart, "$input."+member+"() without an argument is not supported")
	}
	argStart := j
	arg, j, err := p.stringLiteral(j, "$input."+member)
	if err != nil {
		return 0, err
	}
	if j, err = p.closeCall(j, "$input."+member); err != nil {
		return 0, err
	}
	if member == "params" {
		n.kind = kindParam
		n.text = arg
		return j, nil
	}
	n.kind = kindJSON
	if member == "path" {
		n.kind = kindPath
	}
	jp, off, err := compileJSONPath(arg)
	if err != nil {
		return 0, p.syntaxError(argStart+1+off, err.Error())
	}
	n.path = &jp
	return j, nil
}

// dottedName parses `.name(.name)*` following $context or $stageVariables at src[j].
func (p *parser) dottedName(n *node, start, j int, what string) (int, error) {
	src := p.src
	if j+1 >= len(src) || src[j] != '.' || !isIdentStart(src[j+1]) {
		return 0, p.syntaxError(start, what+" needs a name, as in "+what+".name")
	}
	nameStart := j + 1
	for j+1 < len(src) && src[j] == '.' && isIdentStart(src[j+1]) {
		partStart := j + 1
		_, j = scanIdent(src, j+1)
		if j < len(src) && src[j] == '(' {
			return 0, p.syntaxError(partStart, "method call "+src[start:j]+"() is not supported")
		}
	}
	n.text = src[nameStart:j]
	return j, nil
}

// util parses `.fn(arg)` following $util at src[j]. undefined is set when the argument is a reference
// that can never have a value.
func (p *parser) util(n *node, start, j, depth int) (_ int, undefined bool, _ error) {
	src := p.src
	if j+1 >= len(src) || src[j] != '.' || !isIdentStart(src[j+1]) {
		return 0, false, p.syntaxError(start, "$util needs a function, as in $util.escapeJavaScript(...)")
	}
	fnStart := j + 1
	name, j := scanIdent(src, j+1)
	fn, ok := lookupUtil(name)
	if !ok {
		return 0, false, p.syntaxError(fnStart, "$util."+name+" is not supported")
	}
	what := "$util." + name
	if j >= len(src) || src[j] != '(' {
		return 0, false, p.syntaxError(fnStart, what+" needs an argument in parentheses")
	}
	if depth >= maxUtilDepth {
		return 0, false, p.syntaxError(start, "$util calls nested more than "+strconv.Itoa(maxUtilDepth)+" deep are not supported")
	}
	n.kind = kindUtil
	n.fn = fn
	n.name = name
	j = skipSpace(src, j+1)
	switch {
	case j < len(src) && (src[j] == '\'' || src[j] == '"'):
		lit, end, err := p.stringLiteral(j, what)
		if err != nil {
			return 0, false, err
		}
		if j, err = p.closeCall(end, what); err != nil {
			return 0, false, err
		}
		// A literal argument is evaluated now; the call becomes text.
		out, err := fn(nil, lit)
		if err != nil {
			return 0, false, errorAt(src, start, what, err)
		}
		*n = node{kind: kindText, text: string(out), quiet: n.quiet, off: n.off}
		return j, false, nil
	case j < len(src) && src[j] == '$':
		arg, end, err := p.reference(j, depth+1)
		if err != nil {
			return 0, false, err
		}
		if end == j {
			return 0, false, p.syntaxError(j, what+" argument must be a reference or a quoted string")
		}
		n.arg = arg
		if j, err = p.closeCall(end, what); err != nil {
			return 0, false, err
		}
		if arg.undefined {
			return j, true, nil
		}
		if arg.kind == kindText { // a folded $util call
			out, err := fn(nil, arg.text)
			if err != nil {
				return 0, false, errorAt(src, start, what, err)
			}
			*n = node{kind: kindText, text: string(out), quiet: n.quiet, off: n.off}
		}
		return j, false, nil
	case j < len(src) && src[j] == ')':
		return 0, false, p.syntaxError(j, what+"() needs one argument")
	default:
		return 0, false, p.syntaxError(j, what+" argument must be a reference or a quoted string")
	}
}

// stringLiteral reads a '...' or "..." literal at src[j]; it has no escapes. Double-quoted literals
// must not contain references, which VTL would interpolate.
func (p *parser) stringLiteral(j int, what string) (string, int, error) {
	src := p.src
	if j >= len(src) || (src[j] != '\'' && src[j] != '"') {
		return "", 0, p.syntaxError(j, what+" argument must be a quoted string")
	}
	q := src[j]
	k := strings.IndexByte(src[j+1:], q)
	if k < 0 {
		return "", 0, p.syntaxError(j, what+" string argument is not closed")
	}
	lit := src[j+1 : j+1+k]
	if q == '"' {
		for x := 0; x+1 < len(lit); x++ {
			c := lit[x+1]
			if lit[x] == '$' && (isIdentStart(c) || c == '{' || c == '!') {
				return "", 0, p.syntaxError(j+1+x, what+` reference inside a "..." string is not supported (VTL would interpolate it)`)
			}
		}
	}
	return lit, j + 2 + k, nil
}

// closeCall expects optional spaces and `)` at src[j].
func (p *parser) closeCall(j int, what string) (int, error) {
	src := p.src
	j = skipSpace(src, j)
	if j >= len(src) {
		return 0, p.syntaxError(j, what+"( is not closed by )")
	}
	switch src[j] {
	case ')':
		return j + 1, nil
	case ',':
		return 0, p.syntaxError(j, what+" takes one argument")
	}
	return 0, p.syntaxError(j, what+" expected )")
}

func skipSpace(s string, j int) int {
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
		j++
	}
	return j
}

// scanIdent reads a VTL identifier at s[j]: a letter or `_`, then letters, digits, `-` and `_`.
func scanIdent(s string, j int) (string, int) {
	k := j + 1
	for k < len(s) && (isIdentStart(s[k]) || s[k] >= '0' && s[k] <= '9' || s[k] == '-') {
		k++
	}
	return s[j:k], k
}

func isIdentStart(c byte) bool { return isLetter(c) || c == '_' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
