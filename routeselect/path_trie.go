package routeselect

import (
	"slices"
	"strings"
)

// literalBufferSize is the stack buffer a percent-encoded request segment is decoded into
// to look a literal up; longer segments still work, at the cost of one allocation.
const literalBufferSize = 128

// trieNode is one segment position of a set of compiled path templates, shared by the
// HTTP router and the REST resource tree. Templates that differ only in their variables'
// names share a node (they have the same shape); each route ending at a node keeps its
// own template for the names. A trie is built once and only read afterwards.
type trieNode struct {
	literals map[string]*trieNode
	variable *trieNode
	greedy   *trieNode
	// name is the variable name of the template that created this node (variable and
	// greedy nodes only).
	name string
	// ends are the routes whose template ends here, one per method.
	ends []trieEnd
	// methods are the ends' methods, sorted; shared with callers of Methods.
	methods []string
}

// trieEnd is one route of a node: a method ("GET", …, "ANY"), the route's own template
// and the key reported for it (the HTTP route key or the REST resource path).
type trieEnd struct {
	method string
	tpl    pathTemplate
	key    string
}

// insert returns the node where tpl ends, creating nodes on the way. conflict is the
// first variable on the way, as written ("{id}", "{proxy+}"), whose name differs from
// tpl's at the same position ("" when none), so that the resource tree can refuse sibling
// variables.
func (n *trieNode) insert(tpl *pathTemplate) (end *trieNode, conflict string) {
	for _, s := range tpl.segs {
		var next **trieNode
		switch s.kind {
		case segmentLiteral:
			if n.literals == nil {
				n.literals = make(map[string]*trieNode)
			}
			child, ok := n.literals[s.text]
			if !ok {
				child = &trieNode{}
				n.literals[s.text] = child
			}
			n = child
			continue
		case segmentVariable:
			next = &n.variable
		default:
			next = &n.greedy
		}
		if *next == nil {
			*next = &trieNode{name: s.text}
		}
		if (*next).name != s.text && conflict == "" {
			conflict = "{" + (*next).name + "}"
			if s.kind == segmentGreedy {
				conflict = "{" + (*next).name + "+}"
			}
		}
		n = *next
	}
	return n, conflict
}

// end returns the route for method: the one defined for exactly that method, else the ANY
// route, else nil.
func (n *trieNode) end(method string) *trieEnd {
	var anyEnd *trieEnd
	for i := range n.ends {
		e := &n.ends[i]
		if e.method == method {
			return e
		}
		if e.method == MethodAny {
			anyEnd = e
		}
	}
	return anyEnd
}

// exact returns the route defined for exactly method, or nil.
func (n *trieNode) exact(method string) *trieEnd {
	for i := range n.ends {
		if n.ends[i].method == method {
			return &n.ends[i]
		}
	}
	return nil
}

// add records a route ending at n. The caller has checked that n has no route for e.method.
func (n *trieNode) add(e trieEnd) {
	n.ends = append(n.ends, e)
	i, _ := slices.BinarySearch(n.methods, e.method)
	n.methods = slices.Clip(slices.Insert(n.methods, i, e.method))
}

// accepts reports whether a match may end at n: n has routes and, when byMethod is set,
// one for method or ANY.
func (n *trieNode) accepts(method string, byMethod bool) bool {
	if len(n.ends) == 0 {
		return false
	}
	return !byMethod || n.end(method) != nil
}

// find returns the most specific node under n whose template matches the rest of a
// request path and that accepts method (see accepts), or nil. rest and more are as
// splitPath and cutSegment return them. The walk is depth-first in priority order (at each
// segment a literal child, then the variable child, then the greedy child), so the first
// node found is the most specific; each node is visited at most once.
func (n *trieNode) find(rest string, more bool, method string, byMethod bool) *trieNode {
	if !more {
		if n.accepts(method, byMethod) {
			return n
		}
		return nil
	}
	seg, next, nextMore := cutSegment(rest)
	if seg != "" {
		if child := n.literal(seg); child != nil {
			if found := child.find(next, nextMore, method, byMethod); found != nil {
				return found
			}
		}
		if n.variable != nil {
			if found := n.variable.find(next, nextMore, method, byMethod); found != nil {
				return found
			}
		}
	}
	if n.greedy != nil && rest != "" && n.greedy.accepts(method, byMethod) {
		return n.greedy
	}
	return nil
}

// literal returns the literal child for an escaped request segment, decoding it first.
func (n *trieNode) literal(seg string) *trieNode {
	if n.literals == nil {
		return nil
	}
	if strings.IndexByte(seg, '%') < 0 {
		return n.literals[seg]
	}
	var buf [literalBufferSize]byte
	return n.literals[string(appendUnescaped(buf[:0], seg))]
}
