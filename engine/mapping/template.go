package mapping

import (
	"strconv"
	"sync"
)

// Template is a compiled mapping template. It is immutable and safe for concurrent use.
type Template struct {
	src         string
	nodes       []node
	slots       int // number of variables
	passthrough bool
}

// Fixed slots of the variables #foreach sets.
const (
	slotForeach = iota // $foreach
	slotCount          // $velocityCount
	slotHasNext        // $velocityHasNext
)

// Parse compiles a mapping template. Errors are *Error values carrying line and column.
func Parse(src string) (*Template, error) {
	if len(src) > MaxTemplateSize {
		return nil, &Error{Line: 1, Column: 1, Msg: "template is " + strconv.Itoa(len(src)) + " bytes; the limit is " + strconv.Itoa(MaxTemplateSize)}
	}
	p := newParser(src)
	p.slot("foreach")
	p.slot("velocityCount")
	p.slot("velocityHasNext")
	nodes, err := p.parseAll()
	if err != nil {
		return nil, err
	}
	t := &Template{src: src, nodes: nodes, slots: len(p.vars)}
	if len(nodes) == 1 && nodes[0].op == opRef {
		r := nodes[0].ref
		t.passthrough = r.root == rootInput && r.escapes == 0 && len(r.mods) == 1 && r.mods[0].kind == modProp && r.mods[0].name == "body"
	}
	return t, nil
}

// Source returns the template's source text.
func (t *Template) Source() string { return t.src }

// IsPassthrough reports whether the template is exactly `$input.body` (lets callers skip rendering).
// The formal and quiet spellings `${input.body}` and `$!input.body` count too.
func (t *Template) IsPassthrough() bool { return t.passthrough }

// Render appends the rendered template to dst and returns it. The body returned by v.Body must not
// overlap dst. On error, Render returns dst with its original length and an *Error; overrides are
// delivered (see Overrides) only when Render succeeds.
func (t *Template) Render(dst []byte, v Vars) ([]byte, error) {
	if t.passthrough {
		return append(dst, v.Body()...), nil
	}
	s := statePool.Get().(*state)
	s.reset(t, v, dst)
	s.block(t.nodes)
	out := s.out
	var err error
	if s.err != nil {
		err = s.err
	} else {
		err = s.deliverOverrides()
	}
	s.release()
	statePool.Put(s)
	if err != nil {
		return dst, err
	}
	return out, nil
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// ctl is how a block ended.
type ctl uint8

const (
	ctlNext  ctl = iota // go on
	ctlBreak            // #break: leave the innermost #foreach
	ctlStop             // #stop, or an error in s.err: leave the template
)

// state is one Render call. It is pooled; lists and maps made during a render come from its pools.
type state struct {
	t     *Template
	v     Vars
	out   []byte
	base  int // len(out) when the current output started, for the size limit
	slots []value
	err   *Error

	body        string
	bodyChecked bool
	bodyValid   bool

	params, stage value // $input.params() and $stageVariables as maps, built on first use

	iterations int
	macroDepth int

	overrides []override

	lists []*list
	nList int
	maps  []*omap
	nMap  int
	loops []*loop
	nLoop int
	ents  []*entry
	nEnt  int

	scratch     []byte
	interpDepth int
}

type override struct {
	off    int
	name   string
	values []string
}

// loop is the state of a running #foreach, what $foreach reads.
type loop struct {
	index   int
	hasNext bool
	parent  value
}

func (s *state) reset(t *Template, v Vars, dst []byte) {
	s.t, s.v, s.out, s.base, s.err = t, v, dst, len(dst), nil
	if cap(s.slots) < t.slots {
		s.slots = make([]value, t.slots)
	}
	s.slots = s.slots[:t.slots]
	s.bodyChecked = false
	s.params, s.stage = nullValue, nullValue
	s.iterations, s.macroDepth = 0, 0
}

// release drops what the state refers to, so a pooled state keeps no request data alive.
func (s *state) release() {
	clear(s.slots)
	for _, l := range s.lists[:s.nList] {
		clear(l.items)
		l.items = l.items[:0]
	}
	for _, m := range s.maps[:s.nMap] {
		clear(m.keys)
		clear(m.vals)
		m.keys, m.vals = m.keys[:0], m.vals[:0]
	}
	for _, l := range s.loops[:s.nLoop] {
		*l = loop{}
	}
	for _, e := range s.ents[:s.nEnt] {
		*e = entry{}
	}
	for i := range s.overrides {
		s.overrides[i] = override{values: s.overrides[i].values[:0]}
	}
	s.overrides = s.overrides[:0]
	s.nList, s.nMap, s.nLoop, s.nEnt = 0, 0, 0, 0
	s.t, s.v, s.out, s.body, s.params, s.stage = nil, nil, nil, "", nullValue, nullValue
	s.scratch = s.scratch[:0]
}

func (s *state) newList(capacity int) *list {
	if s.nList == len(s.lists) {
		s.lists = append(s.lists, &list{})
	}
	l := s.lists[s.nList]
	s.nList++
	if cap(l.items) < capacity {
		l.items = make([]value, 0, capacity)
	}
	return l
}

func (s *state) newMap() *omap {
	if s.nMap == len(s.maps) {
		s.maps = append(s.maps, &omap{})
	}
	m := s.maps[s.nMap]
	s.nMap++
	return m
}

func (s *state) newLoop() *loop {
	if s.nLoop == len(s.loops) {
		s.loops = append(s.loops, &loop{})
	}
	l := s.loops[s.nLoop]
	s.nLoop++
	return l
}

func (s *state) newEntry(k, v value) *entry {
	if s.nEnt == len(s.ents) {
		s.ents = append(s.ents, &entry{})
	}
	e := s.ents[s.nEnt]
	s.nEnt++
	e.key, e.val = k, v
	return e
}

// fail records an error at byte offset off of the template and stops the render.
func (s *state) fail(off int, msg string, cause error) ctl {
	if s.err == nil {
		s.err = errorAt(s.t.src, off, msg, cause)
	}
	return ctlStop
}

func (s *state) checkOutput(off int) ctl {
	if len(s.out)-s.base > MaxOutputSize {
		return s.fail(off, "output exceeds "+strconv.Itoa(MaxOutputSize)+" bytes", nil)
	}
	return ctlNext
}

// block renders nodes.
func (s *state) block(nodes []node) ctl {
	for i := range nodes {
		n := &nodes[i]
		var c ctl
		switch n.op {
		case opText:
			s.out = append(s.out, n.text...)
			c = s.checkOutput(n.off)
		case opRef:
			c = s.renderRef(n.ref)
			if c == ctlNext {
				c = s.checkOutput(n.off)
			}
		case opSet:
			c = s.set(n)
		case opIf:
			c = s.ifNode(n)
		case opForeach:
			c = s.foreach(n)
		case opBreak:
			return ctlBreak
		case opStop:
			return ctlStop
		case opMacro:
			c = s.callMacro(n)
		}
		if c != ctlNext || s.err != nil {
			if s.err != nil {
				return ctlStop
			}
			return c
		}
	}
	return ctlNext
}

func (s *state) ifNode(n *node) ctl {
	for i, cond := range n.conds {
		v := s.eval(cond)
		if s.err != nil {
			return ctlStop
		}
		if v.truthy() {
			return s.block(n.blocks[i])
		}
	}
	if len(n.blocks) > len(n.conds) {
		return s.block(n.blocks[len(n.conds)])
	}
	return ctlNext
}

func (s *state) foreach(n *node) ctl {
	coll := s.eval(n.expr)
	if s.err != nil {
		return ctlStop
	}
	if coll.k == kStage {
		coll = s.stageMap()
	}
	if !coll.isCollection() {
		return ctlNext // Velocity skips what it cannot iterate, null included
	}
	saved := [...]value{s.slots[n.slot], s.slots[slotForeach], s.slots[slotCount], s.slots[slotHasNext]}
	lp := s.newLoop()
	lp.parent = saved[1]
	c := ctlNext
	for i := 0; i < coll.collLen(); i++ {
		if i >= MaxForeachIterations {
			c = s.fail(n.off, "#foreach exceeds "+strconv.Itoa(MaxForeachIterations)+" iterations", nil)
			break
		}
		if s.iterations++; s.iterations > maxTotalIterations {
			c = s.fail(n.off, "#foreach loops exceed "+strconv.Itoa(maxTotalIterations)+" iterations in all", nil)
			break
		}
		hasNext := i+1 < coll.collLen()
		lp.index, lp.hasNext = i, hasNext
		s.slots[n.slot] = coll.collAt(i)
		s.slots[slotForeach] = value{k: kForeach, fe: lp}
		s.slots[slotCount] = intValue(int64(i + 1))
		s.slots[slotHasNext] = boolValue(hasNext)
		if c = s.block(n.body); c != ctlNext {
			if c == ctlBreak {
				c = ctlNext
			}
			break
		}
	}
	s.slots[n.slot], s.slots[slotForeach], s.slots[slotCount], s.slots[slotHasNext] = saved[0], saved[1], saved[2], saved[3]
	return c
}

func (s *state) callMacro(n *node) ctl {
	m := n.call.def
	if m == nil {
		s.out = append(s.out, n.text...) // no such macro: Velocity prints the call
		return ctlNext
	}
	if s.macroDepth >= MaxMacroDepth {
		return s.fail(n.off, "macro #"+m.name+" nested more than "+strconv.Itoa(MaxMacroDepth)+" deep", nil)
	}
	var savedBuf [8]value
	saved := savedBuf[:0]
	var argBuf [8]value
	args := argBuf[:0]
	for i := range m.slots {
		var v value
		if i < len(n.args) {
			v = s.eval(n.args[i])
			if s.err != nil {
				return ctlStop
			}
		}
		args = append(args, v)
	}
	for i, slot := range m.slots {
		saved = append(saved, s.slots[slot])
		s.slots[slot] = args[i]
	}
	s.macroDepth++
	c := s.block(m.body)
	s.macroDepth--
	for i, slot := range m.slots {
		s.slots[slot] = saved[i]
	}
	if c == ctlBreak {
		c = ctlStop // #break outside a #foreach leaves the template, as in Velocity
	}
	return c
}

func (s *state) set(n *node) ctl {
	v := s.eval(n.expr)
	if s.err != nil {
		return ctlStop
	}
	if v.isNull() {
		return ctlNext // Velocity 1.7 (directive.set.null.allowed=false) leaves the target as it was
	}
	r := n.ref
	switch r.root {
	case rootContext:
		return s.setOverride(r, v)
	case rootVar:
		if len(r.mods) == 0 {
			s.slots[r.slot] = v
			return ctlNext
		}
	}
	// $a.b.c = v: evaluate $a.b, then put c.
	base := s.evalRef(r, len(r.mods)-1)
	if s.err != nil {
		return ctlStop
	}
	last := &r.mods[len(r.mods)-1]
	switch base.k {
	case kMap:
		if last.kind == modProp {
			base.mp.put(stringValue(last.name), v)
			return ctlNext
		}
		key := s.eval(last.args[0])
		if s.err != nil {
			return ctlStop
		}
		base.mp.put(key, v)
	case kList:
		if last.kind != modIndex {
			return ctlNext
		}
		key := s.eval(last.args[0])
		if s.err != nil {
			return ctlStop
		}
		i, ok := listIndex(key, len(base.l.items))
		if !ok {
			return s.fail(last.off, "index "+key.debug()+" is out of bounds for a list of "+strconv.Itoa(len(base.l.items)), nil)
		}
		base.l.items[i] = v
	}
	return ctlNext
}

// setOverride records #set($context.requestOverride.* / responseOverride.* = v).
func (s *state) setOverride(r *ref, v value) ctl {
	for _, o := range s.overrides {
		if o.name == r.name {
			return s.fail(r.off, r.src+" is set twice; an override may be set only once", nil)
		}
	}
	if len(s.overrides) < cap(s.overrides) {
		s.overrides = s.overrides[:len(s.overrides)+1]
	} else {
		s.overrides = append(s.overrides, override{})
	}
	o := &s.overrides[len(s.overrides)-1]
	o.name, o.off = r.name, r.off
	if v.k == kList || v.k == kRange {
		for i := 0; i < v.collLen(); i++ {
			str, _ := s.str(v.collAt(i))
			o.values = append(o.values, str)
		}
		return ctlNext
	}
	str, _ := s.str(v)
	o.values = append(o.values, str)
	return ctlNext
}

// overrideValue returns an override set earlier in this render, for reads of it.
func (s *state) overrideValue(name string) (value, bool) {
	for _, o := range s.overrides {
		if o.name == name {
			if len(o.values) == 1 {
				return stringValue(o.values[0]), true
			}
			l := s.newList(len(o.values))
			for _, str := range o.values {
				l.items = append(l.items, stringValue(str))
			}
			return value{k: kList, l: l}, true
		}
	}
	return nullValue, false
}

func (s *state) deliverOverrides() error {
	if len(s.overrides) == 0 {
		return nil
	}
	ov, ok := s.v.(Overrides)
	if !ok {
		return nil
	}
	for _, o := range s.overrides {
		if err := ov.SetOverride(o.name, o.values); err != nil {
			return errorAt(s.t.src, o.off, "override $context."+o.name, err)
		}
	}
	return nil
}
