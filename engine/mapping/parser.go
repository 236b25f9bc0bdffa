package mapping

import (
	"strconv"
	"strings"
)

// parser compiles a template into nodes, following the lexical rules of Velocity 1.7's Parser.jjt:
//
//   - `)` closing #if, #elseif, #foreach, #set, #macro or a macro call eats the spaces and tabs after it
//     and one newline; so do #else and #end, and a ## comment ends with its newline.
//   - #set also eats the spaces and tabs before it when they start a text run (a line after another
//     directive, the start of the template, right after a reference); other directives leave them.
//
// So a line holding only `#set(...)` renders nothing, and an indented `#if(...)` line renders its
// indentation, as API Gateway's output shows.
type parser struct {
	tsrc  string // the whole template, for errors
	src   string // what this parser scans: the template, or the inside of a "..." literal
	shift int    // offset of src within tsrc
	end   int    // len(src)

	vars   map[string]int // variable name → slot
	macros map[string]*macroDef
	calls  []*macroCall // macro calls to resolve at the end

	depth int // nesting of blocks and expressions
}

func newParser(src string) *parser {
	return &parser{tsrc: src, src: src, end: len(src), vars: map[string]int{}, macros: map[string]*macroDef{}}
}

// sub returns a parser for src, a piece of the template at offset shift, sharing variables and macros.
func (p *parser) sub(src string, shift int) *parser {
	return &parser{tsrc: p.tsrc, src: src, shift: shift, end: len(src), vars: p.vars, macros: p.macros, depth: p.depth}
}

func (p *parser) errorf(off int, msg string) error {
	return errorAt(p.tsrc, off+p.shift, msg, nil)
}

func (p *parser) slot(name string) int {
	if s, ok := p.vars[name]; ok {
		return s
	}
	s := len(p.vars)
	p.vars[name] = s
	return s
}

type termKind uint8

const (
	termEOF termKind = iota
	termEnd
	termElse
	termElseIf
)

// blockEnd says how a block ended and where.
type blockEnd struct {
	kind termKind
	off  int // offset of the '#'
	next int // offset after the terminator (for #elseif, after its keyword)
}

// parseAll parses the whole source as a template.
func (p *parser) parseAll() ([]node, error) {
	nodes, end, err := p.block(0)
	if err != nil {
		return nil, err
	}
	if end.kind != termEOF {
		return nil, p.errorf(end.off, "#"+termName(end.kind)+" without a matching #if, #foreach or #macro")
	}
	for _, c := range p.calls {
		c.def = p.macros[c.name]
	}
	return nodes, nil
}

func termName(k termKind) string {
	switch k {
	case termEnd:
		return "end"
	case termElse:
		return "else"
	case termElseIf:
		return "elseif"
	}
	return "EOF"
}

// block parses statements from i until EOF or a block terminator.
func (p *parser) block(i int) ([]node, blockEnd, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, blockEnd{}, p.errorf(i, "directives nested more than "+strconv.Itoa(maxNesting)+" deep")
	}
	var b builder
	src := p.src
	textStart := i // where the current text run started (for #set's leading whitespace)
	for i < p.end {
		j := indexAnyFrom(src, i, p.end)
		if j < 0 {
			b.text(src[i:p.end])
			break
		}
		b.text(src[i:j])
		i = j
		switch src[i] {
		case '\\':
			k := i
			for k < p.end && src[k] == '\\' {
				k++
			}
			nb := k - i
			if k < p.end && src[k] == '$' {
				r, end, err := p.reference(k, nb)
				if err != nil {
					return nil, blockEnd{}, err
				}
				if r != nil {
					b.ref(r, i)
					i, textStart = end, end
					continue
				}
				b.text(src[i:k])
				i = k
				continue
			}
			if k < p.end && src[k] == '#' {
				name, wend := directiveWord(src, k+1, p.end)
				if name != "" && (nb%2 == 1 || isControlWord(name, p.macros)) {
					if nb%2 == 1 {
						// An escaped directive: \#if renders #if, \\\#if renders \#if; an escaped
						// word that is no directive stays as written.
						if isControlWord(name, p.macros) {
							b.text(src[i : i+nb/2])
							b.text(src[k:wend])
						} else {
							b.text(src[i:wend])
						}
						i, textStart = wend, wend
						continue
					}
					// An even run before a directive: each pair renders one backslash.
					b.text(src[i : i+nb/2])
					i, textStart = k, k
					continue
				}
			}
			b.text(src[i:k])
			i, textStart = k, k
		case '$':
			r, end, err := p.reference(i, 0)
			if err != nil {
				return nil, blockEnd{}, err
			}
			if r == nil {
				b.text("$")
				i++
				continue
			}
			b.ref(r, i)
			i, textStart = end, end
		case '#':
			n, end, term, err := p.hash(i, textStart, &b)
			if err != nil {
				return nil, blockEnd{}, err
			}
			if term.kind != termEOF || term.next != 0 {
				b.flush()
				return b.nodes, term, nil
			}
			if n != nil {
				b.node(*n)
			}
			i = end
			if n != nil || end > i {
				textStart = end
			}
		}
	}
	b.flush()
	return b.nodes, blockEnd{kind: termEOF, off: p.end}, nil
}

// hash handles the '#' at src[i]: a comment, unparsed block, directive or literal '#'. It returns the
// node to add (if any) and where scanning continues; a block terminator is returned in term.
func (p *parser) hash(i, textStart int, b *builder) (n *node, end int, term blockEnd, err error) {
	src := p.src
	rest := src[i+1 : p.end]
	switch {
	case strings.HasPrefix(rest, "#"): // ## comment, through its newline
		j := strings.IndexAny(src[i:p.end], "\r\n")
		if j < 0 {
			return nil, p.end, term, nil
		}
		j += i
		if src[j] == '\r' && j+1 < p.end && src[j+1] == '\n' {
			j++
		}
		return nil, j + 1, term, nil
	case strings.HasPrefix(rest, "*"): // #* comment *#
		j := strings.Index(src[i+2:p.end], "*#")
		if j < 0 {
			return nil, 0, term, p.errorf(i, "comment #* is not closed by *#")
		}
		return nil, i + 2 + j + 2, term, nil
	case strings.HasPrefix(rest, "[["): // #[[ unparsed ]]#
		j := strings.Index(src[i+3:p.end], "]]#")
		if j < 0 {
			return nil, 0, term, p.errorf(i, "unparsed content #[[ is not closed by ]]#")
		}
		b.text(src[i+3 : i+3+j])
		return nil, i + 3 + j + 3, term, nil
	}
	name, wend := directiveWord(src, i+1, p.end)
	switch name {
	case "":
		b.text("#")
		return nil, i + 1, term, nil
	case "set":
		j := wend
		for j < p.end && src[j] == ' ' {
			j++
		}
		if j >= p.end || src[j] != '(' {
			break // not a #set: "#set" is literal text
		}
		b.trimSetIndent(src[textStart:i])
		n, end, err := p.setDirective(i, j+1)
		return n, end, term, err
	case "if":
		n, end, err := p.ifDirective(i, wend)
		return n, end, term, err
	case "elseif":
		return nil, 0, blockEnd{kind: termElseIf, off: i, next: wend}, nil
	case "else":
		return nil, 0, blockEnd{kind: termElse, off: i, next: eatLineEnd(src, wend, p.end)}, nil
	case "end":
		return nil, 0, blockEnd{kind: termEnd, off: i, next: eatLineEnd(src, wend, p.end)}, nil
	case "foreach":
		n, end, err := p.foreachDirective(i, wend)
		return n, end, term, err
	case "macro":
		end, err := p.macroDirective(i, wend)
		return nil, end, term, err
	case "break", "stop":
		op := opBreak
		if name == "stop" {
			op = opStop
		}
		end := wend
		if j := skipWS(src, wend, p.end); j < p.end && src[j] == '(' {
			// #break($foreach) / #stop(): the argument names the scope; only the innermost is supported.
			k := strings.IndexByte(src[j:p.end], ')')
			if k < 0 {
				return nil, 0, term, p.errorf(j, "#"+name+"( is not closed by )")
			}
			end = eatLineEnd(src, j+k+1, p.end)
		}
		return &node{op: op, off: i + p.shift}, end, term, nil
	case "include", "parse", "evaluate", "define", "literal":
		return nil, 0, term, p.errorf(i, "directive #"+name+" is not supported in mapping templates")
	}
	// Any other word: a macro call when followed by '(' (resolved at the end), else literal text.
	j := skipWS(src, wend, p.end)
	if j < p.end && src[j] == '(' {
		args, end, err := p.directiveArgs(j+1, "#"+name)
		if err != nil {
			return nil, 0, term, err
		}
		end = eatLineEnd(src, end, p.end)
		n := &node{op: opMacro, off: i + p.shift, text: src[i:end], call: &macroCall{name: name}, args: args}
		p.calls = append(p.calls, n.call)
		return n, end, term, nil
	}
	b.text(src[i:wend])
	return nil, wend, term, nil
}

// setDirective parses #set( $ref = expr ) from j (after the '(').
func (p *parser) setDirective(start, j int) (*node, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end || src[j] != '$' {
		return nil, 0, p.errorf(j, "#set needs a reference to assign, as in #set($x = 1)")
	}
	r, k, err := p.reference(j, 0)
	if err != nil {
		return nil, 0, err
	}
	if r == nil {
		return nil, 0, p.errorf(j, "#set needs a reference to assign, as in #set($x = 1)")
	}
	if err := p.checkAssignable(r); err != nil {
		return nil, 0, err
	}
	k = skipWS(src, k, p.end)
	if k >= p.end || src[k] != '=' || k+1 < p.end && src[k+1] == '=' {
		return nil, 0, p.errorf(k, "#set expects = after "+r.src)
	}
	e, k, err := p.expression(k + 1)
	if err != nil {
		return nil, 0, err
	}
	k = skipWS(src, k, p.end)
	if k >= p.end || src[k] != ')' {
		return nil, 0, p.errorf(k, "#set( is not closed by )")
	}
	return &node{op: opSet, off: start + p.shift, ref: r, expr: e}, eatLineEnd(src, k+1, p.end), nil
}

// checkAssignable rejects #set targets API Gateway does not let a template change.
func (p *parser) checkAssignable(r *ref) error {
	switch r.root {
	case rootInput:
		return p.errorf(r.off-p.shift, "#set cannot assign $input: it is read-only")
	case rootUtil:
		return p.errorf(r.off-p.shift, "#set cannot assign $util: it is read-only")
	case rootStage:
		return p.errorf(r.off-p.shift, "#set cannot assign $stageVariables: they are read-only")
	case rootContext:
		if len(r.mods) == 0 && isOverride(r.name) {
			return nil
		}
		return p.errorf(r.off-p.shift, "#set can assign only $context.requestOverride.(header|querystring|path).<name> and $context.responseOverride.(status|header.<name>), not "+r.src)
	}
	if len(r.mods) > 0 && r.mods[len(r.mods)-1].kind == modMethod {
		last := r.mods[len(r.mods)-1]
		return p.errorf(last.off-p.shift, "#set cannot assign to a method call")
	}
	return nil
}

// isOverride reports whether a $context name is one of the overrides a template may set.
func isOverride(name string) bool {
	for _, prefix := range [...]string{"requestOverride.header.", "requestOverride.querystring.", "requestOverride.path.", "responseOverride.header."} {
		if strings.HasPrefix(name, prefix) && len(name) > len(prefix) {
			return true
		}
	}
	return name == "responseOverride.status"
}

// ifDirective parses #if(cond) ... [#elseif(cond) ...]* [#else ...] #end from j (after "if").
func (p *parser) ifDirective(start, j int) (*node, int, error) {
	n := &node{op: opIf, off: start + p.shift}
	for {
		cond, k, err := p.condition(j, start)
		if err != nil {
			return nil, 0, err
		}
		blk, end, err := p.block(k)
		if err != nil {
			return nil, 0, err
		}
		n.conds = append(n.conds, cond)
		n.blocks = append(n.blocks, blk)
		switch end.kind {
		case termEOF:
			return nil, 0, p.errorf(start, "#if is not closed by #end")
		case termEnd:
			return n, end.next, nil
		case termElseIf:
			start, j = end.off, end.next
			continue
		case termElse:
			blk, end2, err := p.block(end.next)
			if err != nil {
				return nil, 0, err
			}
			switch end2.kind {
			case termEnd:
				n.blocks = append(n.blocks, blk)
				return n, end2.next, nil
			case termEOF:
				return nil, 0, p.errorf(end.off, "#else is not closed by #end")
			}
			return nil, 0, p.errorf(end2.off, "#"+termName(end2.kind)+" after #else")
		}
	}
}

// condition parses [ws] ( expr ) after #if / #elseif, eating the newline after ')'.
func (p *parser) condition(j, start int) (*expr, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end || src[j] != '(' {
		return nil, 0, p.errorf(start, "#if and #elseif need a condition in parentheses")
	}
	e, k, err := p.expression(j + 1)
	if err != nil {
		return nil, 0, err
	}
	k = skipWS(src, k, p.end)
	if k >= p.end || src[k] != ')' {
		return nil, 0, p.errorf(k, "condition is not closed by )")
	}
	return e, eatLineEnd(src, k+1, p.end), nil
}

// foreachDirective parses #foreach( $x in collection ) body #end from j (after "foreach").
func (p *parser) foreachDirective(start, j int) (*node, int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end || src[j] != '(' {
		return nil, 0, p.errorf(start, "#foreach needs ( $item in collection )")
	}
	j = skipWS(src, j+1, p.end)
	if j >= p.end || src[j] != '$' {
		return nil, 0, p.errorf(j, "#foreach needs a loop variable, as in #foreach($item in $list)")
	}
	r, k, err := p.reference(j, 0)
	if err != nil {
		return nil, 0, err
	}
	if r == nil || r.root != rootVar || len(r.mods) > 0 {
		return nil, 0, p.errorf(j, "#foreach loop variable must be a plain $name")
	}
	k = skipWS(src, k, p.end)
	if w, wend := scanWord(src, k, p.end); w != "in" {
		return nil, 0, p.errorf(k, "#foreach expects 'in' after "+r.src)
	} else {
		k = wend
	}
	coll, k, err := p.primary(k)
	if err != nil {
		return nil, 0, err
	}
	k = skipWS(src, k, p.end)
	if k >= p.end || src[k] != ')' {
		return nil, 0, p.errorf(k, "#foreach( is not closed by )")
	}
	body, end, err := p.block(eatLineEnd(src, k+1, p.end))
	if err != nil {
		return nil, 0, err
	}
	if end.kind != termEnd {
		if end.kind == termEOF {
			return nil, 0, p.errorf(start, "#foreach is not closed by #end")
		}
		return nil, 0, p.errorf(end.off, "#"+termName(end.kind)+" without #if")
	}
	return &node{op: opForeach, off: start + p.shift, slot: r.slot, expr: coll, body: body}, end.next, nil
}

// macroDirective parses #macro( name $a $b ) body #end and records it.
func (p *parser) macroDirective(start, j int) (int, error) {
	src := p.src
	j = skipWS(src, j, p.end)
	if j >= p.end || src[j] != '(' {
		return 0, p.errorf(start, "#macro needs a name in parentheses, as in #macro(name $arg)")
	}
	j = skipWS(src, j+1, p.end)
	name, k := scanWord(src, j, p.end)
	if name == "" {
		return 0, p.errorf(j, "#macro needs a name, as in #macro(name $arg)")
	}
	if isControlWord(name, nil) {
		return 0, p.errorf(j, "#macro name "+name+" is a directive")
	}
	def := &macroDef{name: name, off: start + p.shift}
	for {
		k = skipWS(src, k, p.end)
		if k < p.end && src[k] == ',' {
			k = skipWS(src, k+1, p.end)
		}
		if k >= p.end {
			return 0, p.errorf(start, "#macro( is not closed by )")
		}
		if src[k] == ')' {
			break
		}
		if src[k] != '$' {
			return 0, p.errorf(k, "#macro parameters must be references, as in $arg")
		}
		r, end, err := p.reference(k, 0)
		if err != nil {
			return 0, err
		}
		if r == nil || r.root != rootVar || len(r.mods) > 0 {
			return 0, p.errorf(k, "#macro parameters must be plain $names")
		}
		def.slots = append(def.slots, r.slot)
		k = end
	}
	body, end, err := p.block(eatLineEnd(src, k+1, p.end))
	if err != nil {
		return 0, err
	}
	if end.kind != termEnd {
		if end.kind == termEOF {
			return 0, p.errorf(start, "#macro is not closed by #end")
		}
		return 0, p.errorf(end.off, "#"+termName(end.kind)+" without #if")
	}
	def.body = body
	p.macros[name] = def
	return end.next, nil
}

// directiveArgs parses the arguments of a macro call, separated by whitespace or commas, up to ')'.
func (p *parser) directiveArgs(j int, what string) ([]*expr, int, error) {
	src := p.src
	var args []*expr
	for {
		j = skipWS(src, j, p.end)
		if j < p.end && src[j] == ',' {
			j = skipWS(src, j+1, p.end)
		}
		if j >= p.end {
			return nil, 0, p.errorf(j, what+"( is not closed by )")
		}
		if src[j] == ')' {
			return args, j + 1, nil
		}
		e, k, err := p.primary(j)
		if err != nil {
			return nil, 0, err
		}
		args = append(args, e)
		j = k
	}
}

// builder accumulates nodes, merging adjacent text.
type builder struct {
	nodes   []node
	pending []string
}

func (b *builder) text(s string) {
	if s != "" {
		b.pending = append(b.pending, s)
	}
}

func (b *builder) flush() {
	switch len(b.pending) {
	case 0:
		return
	case 1:
		b.nodes = append(b.nodes, node{op: opText, text: b.pending[0]})
	default:
		b.nodes = append(b.nodes, node{op: opText, text: strings.Join(b.pending, "")})
	}
	b.pending = b.pending[:0]
}

func (b *builder) node(n node) {
	b.flush()
	b.nodes = append(b.nodes, n)
}

func (b *builder) ref(r *ref, off int) {
	b.node(node{op: opRef, off: r.off, ref: r})
}

// trimSetIndent drops the spaces and tabs before a #set when they are the whole current text run.
func (b *builder) trimSetIndent(run string) {
	if run == "" || strings.Trim(run, " \t") != "" || len(b.pending) == 0 {
		return
	}
	last := b.pending[len(b.pending)-1]
	if strings.HasSuffix(last, run) {
		b.pending[len(b.pending)-1] = last[:len(last)-len(run)]
		if b.pending[len(b.pending)-1] == "" {
			b.pending = b.pending[:len(b.pending)-1]
		}
	}
}

// directiveWord reads a directive name at s[j]: a WORD (letter, '_' or '@', then letters, digits, '_',
// '@') or the same in braces ({if}). It returns the name and the offset after it.
func directiveWord(s string, j, end int) (string, int) {
	if j < end && s[j] == '{' {
		k := j + 1
		if k >= end || !(isLetter(s[k]) || s[k] == '_') {
			return "", j
		}
		for k < end && isDirectiveChar(s[k]) {
			k++
		}
		if k >= end || s[k] != '}' {
			return "", j
		}
		return s[j+1 : k], k + 1
	}
	if j >= end || !(isLetter(s[j]) || s[j] == '_' || s[j] == '@') {
		return "", j
	}
	k := j + 1
	for k < end && isDirectiveChar(s[k]) {
		k++
	}
	return s[j:k], k
}

func isDirectiveChar(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '@'
}

// isControlWord reports whether an escaped #name is a directive Velocity recognises (so \#name renders
// #name), including macros defined so far.
func isControlWord(name string, macros map[string]*macroDef) bool {
	switch name {
	case "if", "elseif", "else", "end", "set", "foreach", "include", "parse", "macro", "literal",
		"evaluate", "break", "define", "stop":
		return true
	}
	_, ok := macros[name]
	return ok
}

// eatLineEnd skips spaces and tabs and one newline after a directive, if the line ends there.
func eatLineEnd(s string, j, end int) int {
	k := j
	for k < end && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	switch {
	case k < end && s[k] == '\n':
		return k + 1
	case k < end && s[k] == '\r':
		if k+1 < end && s[k+1] == '\n' {
			return k + 2
		}
		return k + 1
	}
	return j
}

func indexAnyFrom(s string, i, end int) int {
	j := strings.IndexAny(s[i:end], `\$#`)
	if j < 0 {
		return -1
	}
	return i + j
}

func skipWS(s string, j, end int) int {
	for j < end && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
		j++
	}
	return j
}

// skipSpace is skipWS over the whole string.
func skipSpace(s string, j int) int { return skipWS(s, j, len(s)) }

// scanWord reads letters at s[j] (for 'in', 'and', 'true', ...).
func scanWord(s string, j, end int) (string, int) {
	k := j
	for k < end && (isLetter(s[k]) || k > j && (s[k] >= '0' && s[k] <= '9' || s[k] == '_')) {
		k++
	}
	return s[j:k], k
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
