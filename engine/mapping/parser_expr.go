package mapping

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// reference parses a reference at the '$' at src[i], written after escapes backslashes. It returns nil
// (and no error) when src[i:] is not a reference, so the '$' is text.
func (p *parser) reference(i, escapes int) (*ref, int, error) {
	src, end := p.src, p.end
	j := i + 1
	quiet := j < end && src[j] == '!'
	if quiet {
		j++
	}
	formal := j < end && src[j] == '{'
	if formal {
		j++
	}
	if j >= end || !isIdentStart(src[j]) {
		return nil, i, nil
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, 0, p.errorf(i, "references nested more than "+strconv.Itoa(maxNesting)+" deep")
	}
	name, j := scanIdentTo(src, j, end)
	r := &ref{off: i + p.shift, quiet: quiet, escapes: escapes}
	switch name {
	case "input":
		r.root = rootInput
	case "util":
		r.root = rootUtil
	case "context":
		r.root = rootContext
	case "stageVariables":
		r.root = rootStage
	default:
		r.root = rootVar
		r.slot = p.slot(name)
	}
	for {
		if j < end && src[j] == '[' {
			arg, k, err := p.indexArg(j + 1)
			if err != nil {
				return nil, 0, err
			}
			r.mods = append(r.mods, mod{kind: modIndex, off: j + p.shift, args: []*expr{arg}})
			j = k
			continue
		}
		if j+1 < end && src[j] == '.' && isLetter(src[j+1]) {
			mname, k := scanIdentTo(src, j+1, end)
			if k < end && src[k] == '(' {
				args, k2, err := p.callArgs(k+1, "."+mname)
				if err != nil {
					return nil, 0, err
				}
				r.mods = append(r.mods, mod{kind: modMethod, off: j + 1 + p.shift, name: mname, args: args})
				j = k2
				continue
			}
			r.mods = append(r.mods, mod{kind: modProp, off: j + 1 + p.shift, name: mname})
			j = k
			continue
		}
		break
	}
	if formal {
		if j >= end || src[j] != '}' {
			return nil, 0, p.errorf(i, "${ is not closed by }")
		}
		j++
	}
	r.src = src[i:j]
	if err := p.resolveRoot(r); err != nil {
		return nil, 0, err
	}
	if err := p.checkMethods(r); err != nil {
		return nil, 0, err
	}
	return r, j, nil
}

// resolveRoot folds $context.a.b into one variable name, $stageVariables.x and $stageVariables['x']
// into one lookup, and checks $input and $util members.
func (p *parser) resolveRoot(r *ref) error {
	switch r.root {
	case rootContext:
		k := 0
		var b strings.Builder
		for k < len(r.mods) && r.mods[k].kind == modProp {
			if k > 0 {
				b.WriteByte('.')
			}
			b.WriteString(r.mods[k].name)
			k++
		}
		if k == 0 && len(r.mods) > 0 && r.mods[0].kind == modIndex && r.mods[0].args[0].op == eLit && r.mods[0].args[0].val.k == kString {
			b.WriteString(r.mods[0].args[0].val.s)
			k = 1
		}
		r.name = b.String()
		r.mods = r.mods[k:]
	case rootStage:
		if len(r.mods) > 0 {
			m := r.mods[0]
			switch {
			case m.kind == modProp:
				r.name = m.name
				r.mods = r.mods[1:]
			case m.kind == modIndex && m.args[0].op == eLit && m.args[0].val.k == kString:
				r.name = m.args[0].val.s
				r.mods = r.mods[1:]
			}
		}
	case rootInput:
		if len(r.mods) == 0 {
			return nil
		}
		m := &r.mods[0]
		switch {
		case m.kind == modProp && m.name == "body":
		case m.kind == modMethod && (m.name == "json" || m.name == "path"):
			if len(m.args) != 1 {
				return p.errorf(m.off-p.shift, "$input."+m.name+" takes one argument, a JSONPath")
			}
			if a := m.args[0]; a.op == eLit && a.val.k == kString {
				jp, off, err := compileJSONPath(a.val.s)
				if err != nil {
					return p.errorf(a.off-p.shift+1+off, err.Error())
				}
				m.path = &jp
			}
		case m.kind == modMethod && m.name == "params":
			if len(m.args) > 1 {
				return p.errorf(m.off-p.shift, "$input.params takes at most one argument")
			}
		case m.kind == modMethod && m.name == "body":
			return p.errorf(m.off-p.shift, "$input.body() is not a method (write $input.body)")
		default:
			return p.errorf(m.off-p.shift, "$input."+m.name+" does not exist ($input has body, json(path), path(path), params() and params(name))")
		}
	case rootUtil:
		if len(r.mods) == 0 {
			return nil
		}
		m := &r.mods[0]
		if m.kind != modMethod {
			return p.errorf(m.off-p.shift, "$util."+m.name+" is not a function; $util has escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode")
		}
		if m.name != "parseJson" {
			fn, ok := lookupUtil(m.name)
			if !ok {
				return p.errorf(m.off-p.shift, "$util."+m.name+" does not exist; $util has escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode")
			}
			m.util = fn
		}
		if len(m.args) != 1 {
			return p.errorf(m.off-p.shift, "$util."+m.name+" takes one argument")
		}
		if a := m.args[0]; m.util != nil && a.op == eLit && a.val.k == kString {
			// A literal argument is evaluated now.
			if _, err := m.util(nil, a.val.s); err != nil {
				return errorAt(p.tsrc, r.off, "$util."+m.name, err)
			}
		}
	}
	return nil
}

// checkMethods rejects a method the receiver's type does not have, where the type is known when the
// template is compiled, and compiles literal regular expressions.
func (p *parser) checkMethods(r *ref) error {
	t := staticRootType(r)
	for i := range r.mods {
		m := &r.mods[i]
		if i == 0 && (r.root == rootInput || r.root == rootUtil) {
			t = staticBuiltinType(r.root, m)
			continue
		}
		if m.kind == modMethod {
			if t != tUnknown && !hasMethod(t, m.name, len(m.args)) {
				return p.errorf(m.off-p.shift, "method "+m.name+" with "+strconv.Itoa(len(m.args))+" argument(s) does not exist on "+staticTypeName(t))
			}
			if err := p.compileRegexArg(m, t); err != nil {
				return err
			}
			t = methodResultType(t, m.name)
			continue
		}
		t = tUnknown
	}
	return nil
}

// compileRegexArg compiles the pattern of replaceAll, replaceFirst, matches and split once when it is a
// literal.
func (p *parser) compileRegexArg(m *mod, t staticType) error {
	switch m.name {
	case "replaceAll", "replaceFirst", "matches", "split":
	default:
		return nil
	}
	if t != tString && t != tUnknown || len(m.args) == 0 || m.args[0].op != eLit || m.args[0].val.k != kString {
		return nil
	}
	pat := m.args[0].val.s
	if m.name == "matches" {
		pat = `^(?:` + pat + `)$`
	}
	re, err := compileJavaRegex(pat)
	if err != nil {
		return p.errorf(m.args[0].off-p.shift, "."+m.name+": "+err.Error())
	}
	m.re = re
	return nil
}

// indexArg parses [arg] after the '[' at j: a string, integer, boolean or reference.
func (p *parser) indexArg(j int) (*expr, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end {
		return nil, 0, p.errorf(j, "[ is not closed by ]")
	}
	var e *expr
	var err error
	switch c := src[j]; {
	case c == '"' || c == '\'':
		e, j, err = p.stringLiteral(j)
	case c == '-' || c >= '0' && c <= '9':
		e, j, err = p.number(j)
		if err == nil && e.val.k != kInt {
			return nil, 0, p.errorf(e.off-p.shift, "index must be an integer, a string or a reference")
		}
	case c == '$':
		var r *ref
		start := j
		r, j, err = p.reference(j, 0)
		if err == nil && r == nil {
			return nil, 0, p.errorf(start, "index must be an integer, a string or a reference")
		}
		if r != nil {
			e = &expr{op: eRef, off: r.off, src: r.src, ref: r}
		}
	default:
		w, k := scanWord(src, j, p.end)
		if w == "true" || w == "false" {
			e, j = &expr{op: eLit, off: j + p.shift, src: w, val: boolValue(w == "true")}, k
		} else {
			return nil, 0, p.errorf(j, "index must be an integer, a string or a reference")
		}
	}
	if err != nil {
		return nil, 0, err
	}
	j = skipWS(src, j, p.end)
	if j >= p.end || src[j] != ']' {
		return nil, 0, p.errorf(j, "[ is not closed by ]")
	}
	return e, j + 1, nil
}

// callArgs parses method arguments after the '(' at j, up to ')'. As in Velocity 1.7, arguments are
// values (literals, references, lists, maps, ranges), not operator expressions.
func (p *parser) callArgs(j int, what string) ([]*expr, int, error) {
	src := p.src
	var args []*expr
	j = skipWS(src, j, p.end)
	if j < p.end && src[j] == ')' {
		return nil, j + 1, nil
	}
	for {
		e, k, err := p.primary(j)
		if err != nil {
			return nil, 0, err
		}
		args = append(args, e)
		k = skipWS(src, k, p.end)
		if k >= p.end {
			return nil, 0, p.errorf(j, what+"( is not closed by )")
		}
		switch src[k] {
		case ')':
			return args, k + 1, nil
		case ',':
			j = k + 1
		default:
			return nil, 0, p.errorf(k, what+"(...) arguments are values separated by commas (operators are not allowed in arguments)")
		}
	}
}

// expression parses a full expression (as in #if and #set) at j.
func (p *parser) expression(j int) (*expr, int, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, 0, p.errorf(j, "expression nested more than "+strconv.Itoa(maxNesting)+" deep")
	}
	return p.binary(j, 0)
}

// Binary operator levels, loosest first.
var levels = [...][]struct {
	tok string
	op  exprOp
}{
	{{"||", eOr}, {"or", eOr}},
	{{"&&", eAnd}, {"and", eAnd}},
	{{"==", eEq}, {"!=", eNe}, {"eq", eEq}, {"ne", eNe}},
	{{"<=", eLe}, {">=", eGe}, {"<", eLt}, {">", eGt}, {"le", eLe}, {"ge", eGe}, {"lt", eLt}, {"gt", eGt}},
	{{"+", eAdd}, {"-", eSub}},
	{{"*", eMul}, {"/", eDiv}, {"%", eMod}},
}

func (p *parser) binary(j, level int) (*expr, int, error) {
	if level == len(levels) {
		return p.unary(j)
	}
	left, j, err := p.binary(j, level+1)
	if err != nil {
		return nil, 0, err
	}
	for {
		k := skipWS(p.src, j, p.end)
		op, n := p.operator(k, level)
		if n == 0 {
			return left, j, nil
		}
		right, k2, err := p.binary(k+n, level+1)
		if err != nil {
			return nil, 0, err
		}
		left = &expr{op: op, off: k + p.shift, src: p.src[left.off-p.shift : k2], a: left, b: right}
		j = k2
	}
}

// operator matches an operator of the level at src[k]; word operators need a word boundary.
func (p *parser) operator(k, level int) (exprOp, int) {
	rest := p.src[k:p.end]
	for _, o := range levels[level] {
		if !strings.HasPrefix(rest, o.tok) {
			continue
		}
		n := len(o.tok)
		if isLetter(o.tok[0]) && n < len(rest) && isDirectiveChar(rest[n]) {
			continue
		}
		if (o.tok == "<" || o.tok == ">") && n < len(rest) && rest[n] == '=' {
			continue
		}
		return o.op, n
	}
	return 0, 0
}

func (p *parser) unary(j int) (*expr, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j < p.end && src[j] == '!' && !(j+1 < p.end && src[j+1] == '=') {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxNesting {
			return nil, 0, p.errorf(j, "expression nested more than "+strconv.Itoa(maxNesting)+" deep")
		}
		e, k, err := p.unary(j + 1)
		if err != nil {
			return nil, 0, err
		}
		return &expr{op: eNot, off: j + p.shift, src: src[j:k], a: e}, k, nil
	}
	if w, k := scanWord(src, j, p.end); w == "not" {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxNesting {
			return nil, 0, p.errorf(j, "expression nested more than "+strconv.Itoa(maxNesting)+" deep")
		}
		e, k2, err := p.unary(k)
		if err != nil {
			return nil, 0, err
		}
		return &expr{op: eNot, off: j + p.shift, src: src[j:k2], a: e}, k2, nil
	}
	if j < p.end && src[j] == '(' {
		e, k, err := p.expression(j + 1)
		if err != nil {
			return nil, 0, err
		}
		k = skipWS(src, k, p.end)
		if k >= p.end || src[k] != ')' {
			return nil, 0, p.errorf(j, "( is not closed by )")
		}
		return e, k + 1, nil
	}
	return p.primary(j)
}

// primary parses a value at j (after optional whitespace): a string, number, boolean, reference,
// list [a, b], range [a..b] or map {k: v}.
func (p *parser) primary(j int) (*expr, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end {
		return nil, 0, p.errorf(j, "expected a value")
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, 0, p.errorf(j, "values nested more than "+strconv.Itoa(maxNesting)+" deep")
	}
	switch c := src[j]; {
	case c == '"' || c == '\'':
		return p.stringLiteral(j)
	case c >= '0' && c <= '9' || c == '-' && j+1 < p.end && (src[j+1] >= '0' && src[j+1] <= '9' || src[j+1] == '.'):
		return p.number(j)
	case c == '.' && j+1 < p.end && src[j+1] >= '0' && src[j+1] <= '9':
		return p.number(j)
	case c == '$':
		r, k, err := p.reference(j, 0)
		if err != nil {
			return nil, 0, err
		}
		if r == nil {
			return nil, 0, p.errorf(j, "expected a reference after $")
		}
		return &expr{op: eRef, off: r.off, src: r.src, ref: r}, k, nil
	case c == '[':
		return p.listOrRange(j)
	case c == '{':
		return p.mapLiteral(j)
	}
	w, k := scanWord(src, j, p.end)
	switch w {
	case "true":
		return &expr{op: eLit, off: j + p.shift, src: w, val: trueValue}, k, nil
	case "false":
		return &expr{op: eLit, off: j + p.shift, src: w, val: falseValue}, k, nil
	}
	if w != "" {
		return nil, 0, p.errorf(j, "unexpected word "+strconv.Quote(w)+" (strings need quotes, variables a $)")
	}
	_, size := utf8.DecodeRuneInString(src[j:p.end])
	return nil, 0, p.errorf(j, "unexpected "+strconv.Quote(src[j:j+size]))
}

func (p *parser) listOrRange(j int) (*expr, int, error) {
	src := p.src
	start := j
	k := skipWS(src, j+1, p.end)
	if k < p.end && src[k] == ']' {
		return &expr{op: eList, off: start + p.shift, src: src[start : k+1]}, k + 1, nil
	}
	first, k, err := p.primary(k)
	if err != nil {
		return nil, 0, err
	}
	k = skipWS(src, k, p.end)
	if strings.HasPrefix(src[k:p.end], "..") {
		last, k2, err := p.primary(k + 2)
		if err != nil {
			return nil, 0, err
		}
		k2 = skipWS(src, k2, p.end)
		if k2 >= p.end || src[k2] != ']' {
			return nil, 0, p.errorf(start, "range [ is not closed by ]")
		}
		for _, b := range [...]*expr{first, last} {
			if b.op != eRef && !(b.op == eLit && b.val.k == kInt) {
				return nil, 0, p.errorf(b.off-p.shift, "range bounds must be integers or references")
			}
		}
		return &expr{op: eRange, off: start + p.shift, src: src[start : k2+1], a: first, b: last}, k2 + 1, nil
	}
	e := &expr{op: eList, off: start + p.shift, elems: []*expr{first}}
	for {
		if k >= p.end {
			return nil, 0, p.errorf(start, "list [ is not closed by ]")
		}
		switch src[k] {
		case ']':
			e.src = src[start : k+1]
			return e, k + 1, nil
		case ',':
			el, k2, err := p.primary(k + 1)
			if err != nil {
				return nil, 0, err
			}
			e.elems = append(e.elems, el)
			k = skipWS(src, k2, p.end)
		default:
			return nil, 0, p.errorf(k, "list elements are values separated by commas")
		}
	}
}

func (p *parser) mapLiteral(j int) (*expr, int, error) {
	src := p.src
	start := j
	e := &expr{op: eMap, off: start + p.shift}
	k := skipWS(src, j+1, p.end)
	if k < p.end && src[k] == '}' {
		e.src = src[start : k+1]
		return e, k + 1, nil
	}
	for {
		key, k2, err := p.primary(k)
		if err != nil {
			return nil, 0, err
		}
		k2 = skipWS(src, k2, p.end)
		if k2 >= p.end || src[k2] != ':' {
			return nil, 0, p.errorf(k2, "map entries are key : value")
		}
		val, k3, err := p.primary(k2 + 1)
		if err != nil {
			return nil, 0, err
		}
		e.elems = append(e.elems, key, val)
		k3 = skipWS(src, k3, p.end)
		if k3 >= p.end {
			return nil, 0, p.errorf(start, "map { is not closed by }")
		}
		switch src[k3] {
		case '}':
			e.src = src[start : k3+1]
			return e, k3 + 1, nil
		case ',':
			k = k3 + 1
		default:
			return nil, 0, p.errorf(k3, "map entries are separated by commas")
		}
	}
}

// number parses an integer or floating-point literal at j.
func (p *parser) number(j int) (*expr, int, error) {
	src := p.src
	k := j
	if k < p.end && src[k] == '-' {
		k++
	}
	digits := k
	for k < p.end && src[k] >= '0' && src[k] <= '9' {
		k++
	}
	isFloat := false
	// "1..3" is a range, not 1. then .3
	if k < p.end && src[k] == '.' && !(k+1 < p.end && src[k+1] == '.') {
		isFloat = true
		k++
		for k < p.end && src[k] >= '0' && src[k] <= '9' {
			k++
		}
	}
	if k < p.end && (src[k] == 'e' || src[k] == 'E') {
		e := k + 1
		if e < p.end && (src[e] == '+' || src[e] == '-') {
			e++
		}
		if e < p.end && src[e] >= '0' && src[e] <= '9' {
			isFloat = true
			for e < p.end && src[e] >= '0' && src[e] <= '9' {
				e++
			}
			k = e
		}
	}
	text := src[j:k]
	if k == digits || text == "-" || text == "." || text == "-." {
		return nil, 0, p.errorf(j, "malformed number")
	}
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, 0, p.errorf(j, "malformed number "+text)
		}
		return &expr{op: eLit, off: j + p.shift, src: text, val: floatValue(f)}, k, nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, 0, p.errorf(j, "integer "+text+" is out of range")
	}
	return &expr{op: eLit, off: j + p.shift, src: text, val: intValue(n)}, k, nil
}

// stringLiteral parses "..." (interpolated: references and directives inside are rendered) or '...'
// (literal) at j. As in Velocity 1.7, a doubled quote stands for one, \uXXXX is unescaped in "...",
// and other backslashes are kept.
func (p *parser) stringLiteral(j int) (*expr, int, error) {
	src := p.src
	q := src[j]
	k := j + 1
	for {
		i := strings.IndexByte(src[k:p.end], q)
		if i < 0 {
			return nil, 0, p.errorf(j, "string literal is not closed")
		}
		k += i
		if k+1 < p.end && src[k+1] == q {
			k += 2
			continue
		}
		break
	}
	raw := src[j+1 : k]
	end := k + 1
	content := raw
	if q == '"' {
		content = unescapeUnicode(content)
	}
	if strings.Contains(content, string([]byte{q, q})) {
		content = strings.ReplaceAll(content, string([]byte{q, q}), string(q))
	}
	e := &expr{op: eLit, off: j + p.shift, src: src[j:end], val: stringValue(content)}
	if q == '"' && strings.ContainsAny(content, "$#") {
		img := content
		if !strings.Contains(img, "##") {
			img += " " // Velocity renders content+" " and drops the last character
		}
		sp := p.sub(img, j+1+p.shift)
		nodes, err := sp.parseAll()
		if err != nil {
			return nil, 0, err
		}
		p.calls = append(p.calls, sp.calls...)
		if folded, ok := foldText(nodes, !strings.Contains(content, "##")); ok {
			e.val = stringValue(folded) // "$.a" and the like: nothing to interpolate
			return e, end, nil
		}
		e.op = eInterp
		e.nodes = nodes
		e.val = boolValue(!strings.Contains(content, "##")) // true: drop the last character
	}
	return e, end, nil
}

// unescapeUnicode replaces \uXXXX escapes, as Velocity does in double-quoted literals.
func unescapeUnicode(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, `\u`)
		if i < 0 || i+6 > len(s) {
			b.WriteString(s)
			return b.String()
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		r := rune(n)
		if utf16.IsSurrogate(r) && i+12 <= len(s) && s[i+6:i+8] == `\u` {
			if n2, err := strconv.ParseUint(s[i+8:i+12], 16, 16); err == nil {
				if d := utf16.DecodeRune(r, rune(n2)); d != utf8.RuneError {
					b.WriteRune(d)
					s = s[i+12:]
					continue
				}
			}
		}
		b.WriteRune(r)
		s = s[i+6:]
	}
}

// scanIdentTo is scanIdent bounded by end.
func scanIdentTo(s string, j, end int) (string, int) {
	k := j + 1
	for k < end && (isIdentStart(s[k]) || s[k] >= '0' && s[k] <= '9' || s[k] == '-') {
		k++
	}
	return s[j:k], k
}

// foldText returns the text of nodes that are all text (dropping the last byte when drop is set).
func foldText(nodes []node, drop bool) (string, bool) {
	var b strings.Builder
	for _, n := range nodes {
		if n.op != opText {
			return "", false
		}
		b.WriteString(n.text)
	}
	out := b.String()
	if drop && out != "" {
		out = out[:len(out)-1]
	}
	return out, true
}
