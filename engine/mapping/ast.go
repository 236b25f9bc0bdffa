package mapping

import "regexp"

// The compiled form of a template: a tree of nodes the render path only reads.

type nodeOp uint8

const (
	opText    nodeOp = iota // text
	opRef                   // a reference rendered into the output
	opSet                   // #set(target = expr)
	opIf                    // #if / #elseif / #else
	opForeach               // #foreach(slot in expr) body
	opBreak                 // #break
	opStop                  // #stop
	opMacro                 // a call of a #macro defined in the template
)

// node is one statement of a block.
type node struct {
	op   nodeOp
	off  int    // byte offset in the template, for errors
	text string // opText; opMacro: the call's source, rendered when the macro is not defined

	ref *ref // opRef; opSet: the target

	expr *expr // opSet: the value; opForeach: the collection

	conds  []*expr  // opIf: one per #if/#elseif
	blocks [][]node // opIf: one per cond, then the #else block if any

	slot int    // opForeach: the loop variable
	body []node // opForeach

	call *macroCall // opMacro
	args []*expr
}

// macroCall names the macro a call site uses; def is resolved once the whole template is parsed (a
// macro may be defined after its first use).
type macroCall struct {
	name string
	def  *macroDef
}

type macroDef struct {
	name  string
	off   int
	slots []int // one per parameter
	body  []node
}

type exprOp uint8

const (
	eLit    exprOp = iota // a constant
	eInterp               // "..." with references or directives inside
	eRef                  // a reference
	eList                 // [a, b]
	eMap                  // {k: v}
	eRange                // [a..b]
	eOr
	eAnd
	eNot
	eEq
	eNe
	eLt
	eLe
	eGt
	eGe
	eAdd
	eSub
	eMul
	eDiv
	eMod
)

type expr struct {
	op    exprOp
	off   int
	src   string // source text: what a null operand of + prints
	val   value  // eLit
	nodes []node // eInterp
	ref   *ref   // eRef
	a, b  *expr  // operands; eRange bounds
	elems []*expr
}

type rootKind uint8

const (
	rootVar     rootKind = iota // a template variable, in slot
	rootInput                   // $input
	rootUtil                    // $util
	rootContext                 // $context, with name folded from the leading properties
	rootStage                   // $stageVariables, with name from the first property or index
)

// ref is a reference: a root and a chain of modifiers.
type ref struct {
	off     int
	src     string // the reference as written, without escapes: rendered when its value is null
	quiet   bool   // $!
	escapes int    // backslashes written before the $
	root    rootKind
	slot    int
	name    string // rootContext, rootStage: the variable's name ("" for the bare root)
	mods    []mod
}

type modKind uint8

const (
	modProp   modKind = iota // .name
	modMethod                // .name(args)
	modIndex                 // [arg]
)

type mod struct {
	kind modKind
	off  int // byte offset of the name (or the [)
	name string
	args []*expr
	re   *regexp.Regexp // a regular expression argument given as a literal, compiled once
	path *jsonPath      // $input.json / $input.path / a JSONPath literal, compiled once
	util utilFunc       // $util.fn
}

// emptyOnNull reports whether a null value of r renders as nothing: $input, $context and
// $stageVariables values do, as in API Gateway.
func (r *ref) emptyOnNull() bool {
	return r.root == rootInput || r.root == rootContext || r.root == rootStage
}
