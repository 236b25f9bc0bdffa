package mapping

import (
	"math"
	"strconv"
	"strings"
)

// eval evaluates an expression. On failure it sets s.err and returns null.
func (s *state) eval(e *expr) value {
	switch e.op {
	case eLit:
		return e.val
	case eRef:
		return s.evalRef(e.ref, len(e.ref.mods))
	case eInterp:
		return stringValue(s.interpolate(e))
	case eList:
		l := s.newList(len(e.elems))
		for _, el := range e.elems {
			v := s.eval(el)
			if s.err != nil {
				return nullValue
			}
			l.items = append(l.items, v)
		}
		return value{k: kList, l: l}
	case eMap:
		m := s.newMap()
		for i := 0; i+1 < len(e.elems); i += 2 {
			k := s.eval(e.elems[i])
			v := s.eval(e.elems[i+1])
			if s.err != nil {
				return nullValue
			}
			m.put(k, v)
		}
		return value{k: kMap, mp: m}
	case eRange:
		a, b := s.eval(e.a), s.eval(e.b)
		if s.err != nil || a.k != kInt || b.k != kInt {
			return nullValue // Velocity logs and yields null for non-integer bounds
		}
		return value{k: kRange, n: a.n, m: b.n}
	case eOr:
		if s.eval(e.a).truthy() {
			return trueValue
		}
		return boolValue(s.eval(e.b).truthy())
	case eAnd:
		if !s.eval(e.a).truthy() {
			return falseValue
		}
		return boolValue(s.eval(e.b).truthy())
	case eNot:
		return boolValue(!s.eval(e.a).truthy())
	}
	a := s.eval(e.a)
	if s.err != nil {
		return nullValue
	}
	b := s.eval(e.b)
	if s.err != nil {
		return nullValue
	}
	switch e.op {
	case eEq:
		return boolValue(velocityEquals(s.settle(a), s.settle(b)))
	case eNe:
		return boolValue(!velocityEquals(s.settle(a), s.settle(b)))
	case eLt, eLe, eGt, eGe:
		if !a.isNumber() || !b.isNumber() {
			return falseValue // Velocity 1.7 compares only numbers
		}
		c := compareNumbers(a, b)
		switch e.op {
		case eLt:
			return boolValue(c < 0)
		case eLe:
			return boolValue(c <= 0)
		case eGt:
			return boolValue(c > 0)
		}
		return boolValue(c >= 0)
	case eAdd:
		if a.k == kString || b.k == kString {
			return stringValue(s.concat(a, e.a, b, e.b))
		}
	}
	return s.arith(e, a, b)
}

// settle turns the special roots into plain values for comparison.
func (s *state) settle(v value) value {
	if v.k == kStage {
		return s.stageMap()
	}
	return v
}

// concat is + with a string operand; a null operand prints its source, as Velocity does.
func (s *state) concat(a value, ea *expr, b value, eb *expr) string {
	var sb strings.Builder
	for i, v := range [...]value{a, b} {
		str, ok := s.str(v)
		if !ok {
			str = [...]*expr{ea, eb}[i].src
		}
		sb.WriteString(str)
	}
	return sb.String()
}

// arith does - * / % (and + on numbers) as Java does: integer arithmetic when both are integers
// (division truncates; overflow fails the render), double otherwise; null on a non-number or a zero
// divisor, as in Velocity.
func (s *state) arith(e *expr, a, b value) value {
	if !a.isNumber() || !b.isNumber() {
		return nullValue
	}
	if a.k == kInt && b.k == kInt {
		x, y := a.n, b.n
		var r int64
		switch e.op {
		case eAdd:
			r = x + y
			if (r^x) < 0 && (r^y) < 0 {
				return s.overflow(e)
			}
		case eSub:
			r = x - y
			if (r^x) < 0 && (r^(^y)) < 0 {
				return s.overflow(e)
			}
		case eMul:
			r = x * y
			if x != 0 && (r/x != y || x == -1 && y == math.MinInt64) {
				return s.overflow(e)
			}
		case eDiv:
			if y == 0 {
				return nullValue
			}
			if x == math.MinInt64 && y == -1 {
				return s.overflow(e)
			}
			r = x / y
		case eMod:
			if y == 0 {
				return nullValue
			}
			if y == -1 {
				r = 0
			} else {
				r = x % y
			}
		}
		return intValue(r)
	}
	x, y := a.float(), b.float()
	switch e.op {
	case eAdd:
		return floatValue(x + y)
	case eSub:
		return floatValue(x - y)
	case eMul:
		return floatValue(x * y)
	case eDiv:
		if y == 0 {
			return nullValue
		}
		return floatValue(x / y)
	case eMod:
		if y == 0 {
			return nullValue
		}
		return floatValue(math.Mod(x, y))
	}
	return nullValue
}

func (s *state) overflow(e *expr) value {
	s.fail(e.off, "integer overflow in "+e.src, nil)
	return nullValue
}

// interpolate renders the inside of a "..." literal.
func (s *state) interpolate(e *expr) string {
	out, base := s.out, s.base
	if s.interpDepth == 0 {
		s.out = s.scratch[:0]
	} else {
		s.out = nil
	}
	s.base = 0
	s.interpDepth++
	s.block(e.nodes)
	s.interpDepth--
	b := s.out
	if s.interpDepth == 0 {
		s.scratch = b[:0]
	}
	s.out, s.base = out, base
	if e.val.bool() && len(b) > 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

// str returns v as Java's toString prints it; ok is false for null. Strings are not copied.
func (s *state) str(v value) (string, bool) {
	switch v.k {
	case kString:
		return v.s, true
	case kNull:
		return "", false
	case kStage:
		v = s.stageMap()
	}
	return v.toString()
}

// evalRef evaluates r with its first n modifiers.
func (s *state) evalRef(r *ref, n int) value {
	mods := r.mods[:n]
	var v value
	switch r.root {
	case rootVar:
		v = s.slots[r.slot]
	case rootContext:
		if r.name == "" {
			v = value{k: kContext}
		} else {
			v = s.context(r.name)
		}
	case rootStage:
		if r.name == "" {
			v = value{k: kStage}
		} else {
			v = s.stageVariable(r.name)
		}
	case rootInput:
		if len(mods) == 0 {
			return nullValue
		}
		v = s.input(&mods[0])
		mods = mods[1:]
	case rootUtil:
		if len(mods) == 0 {
			return nullValue
		}
		v = s.util(&mods[0], r.off)
		mods = mods[1:]
	}
	for i := range mods {
		if v.isNull() || s.err != nil {
			return nullValue
		}
		v = s.apply(v, &mods[i])
	}
	if s.err != nil {
		return nullValue
	}
	return v
}

// apply applies one modifier to a non-null value.
func (s *state) apply(v value, m *mod) value {
	switch m.kind {
	case modProp:
		return s.property(v, m.name)
	case modIndex:
		key := s.eval(m.args[0])
		if s.err != nil {
			return nullValue
		}
		return s.index(v, key, m)
	}
	var buf [4]value
	args := buf[:0]
	for _, a := range m.args {
		av := s.eval(a)
		if s.err != nil {
			return nullValue
		}
		args = append(args, av)
	}
	return s.method(v, m, args)
}

// property is $v.name: Velocity tries getName(), then get("name") on a map, then isName().
func (s *state) property(v value, name string) value {
	switch v.k {
	case kMap:
		if i := v.mp.findString(name); i >= 0 {
			return v.mp.vals[i]
		}
		return nullValue
	case kStage:
		return s.stageVariable(name)
	case kContext:
		return s.context(name)
	case kEntry:
		switch name {
		case "key":
			return v.e.key
		case "value":
			return v.e.val
		}
	case kForeach:
		switch name {
		case "hasNext":
			return boolValue(v.fe.hasNext)
		case "index":
			return intValue(int64(v.fe.index))
		case "count":
			return intValue(int64(v.fe.index + 1))
		case "first":
			return boolValue(v.fe.index == 0)
		case "last":
			return boolValue(!v.fe.hasNext)
		case "parent":
			return v.fe.parent
		}
	case kString:
		switch name {
		case "empty":
			return boolValue(v.s == "")
		case "bytes":
			return s.bytesList(v.s)
		}
	case kList, kRange:
		if name == "empty" {
			return boolValue(v.collLen() == 0)
		}
	}
	return nullValue
}

// index is $v[key]: a list element (a negative index counts from the end), or a map value.
func (s *state) index(v value, key value, m *mod) value {
	switch v.k {
	case kList, kRange:
		i, ok := listIndex(key, v.collLen())
		if !ok {
			if key.k != kInt {
				return nullValue
			}
			s.fail(m.off, "index "+key.debug()+" is out of bounds for a list of "+strconv.Itoa(v.collLen()), nil)
			return nullValue
		}
		return v.collAt(i)
	case kMap:
		r, _ := v.mp.get(key)
		return r
	case kStage:
		name, _ := s.str(key)
		return s.stageVariable(name)
	case kContext:
		name, _ := s.str(key)
		return s.context(name)
	}
	return nullValue
}

// listIndex resolves an index into a list of n elements, counting a negative one from the end.
func listIndex(key value, n int) (int, bool) {
	if key.k != kInt {
		return 0, false
	}
	i := key.n
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		return 0, false
	}
	return int(i), true
}

// debug prints a value for an error message.
func (v value) debug() string {
	if v.k == kNull {
		return "null"
	}
	str, _ := v.toString()
	if v.k == kString {
		return strconv.Quote(str)
	}
	return str
}

// renderRef appends a reference's value, or what Velocity prints when it is null.
func (s *state) renderRef(r *ref) ctl {
	esc := r.escapes
	for range esc / 2 {
		s.out = append(s.out, '\\')
	}
	if esc%2 == 1 { // \$x renders $x when $x has a value, \$x when not
		v := s.evalRef(r, len(r.mods))
		if s.err != nil {
			return ctlStop
		}
		if v.isNull() {
			s.out = append(s.out, '\\')
		}
		s.out = append(s.out, r.src...)
		return ctlNext
	}
	mark := len(s.out)
	ok := s.appendRef(r)
	if s.err != nil {
		return ctlStop
	}
	if !ok {
		s.out = s.out[:mark]
		for range esc / 2 {
			s.out = append(s.out, '\\')
		}
		if !r.quiet && !r.emptyOnNull() {
			s.out = append(s.out, r.src...)
		}
	}
	return ctlNext
}

// appendRef appends r's value to s.out; ok is false when it is null. The common shapes of $input and
// $util are appended straight into the output, without building a string.
func (s *state) appendRef(r *ref) bool {
	if (r.root == rootInput || r.root == rootUtil) && len(r.mods) == 1 {
		m := &r.mods[0]
		switch {
		case r.root == rootInput && m.name == "json":
			raw, found, ok := s.inputLookup(m)
			if !ok {
				return false
			}
			if !found {
				s.out = append(s.out, "null"...)
				return true
			}
			s.out = appendCompact(s.out, raw)
			return true
		case r.root == rootUtil && m.util != nil:
			arg := s.eval(m.args[0])
			if s.err != nil || arg.isNull() {
				return false
			}
			in, _ := s.str(arg)
			n := len(s.out)
			out, err := m.util(s.out, in)
			if err != nil {
				s.out = s.out[:n]
				s.fail(r.off, "$util."+m.name, err)
				return false
			}
			s.out = out
			return true
		}
	}
	v := s.evalRef(r, len(r.mods))
	if s.err != nil || v.isNull() {
		return false
	}
	switch v.k {
	case kString:
		s.out = append(s.out, v.s...)
		return true
	case kStage:
		v = s.stageMap()
	case kInput, kUtil, kContext:
		return false
	}
	out, ok := appendJava(s.out, v, 0)
	if !ok {
		return false
	}
	s.out = out
	return true
}
