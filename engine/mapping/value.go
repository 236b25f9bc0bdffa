package mapping

import (
	"math"
	"strconv"
	"strings"
)

// kind is the Java type a template value stands for.
type kind uint8

const (
	kNull    kind = iota
	kString       // java.lang.String (also Character, from charAt)
	kInt          // java.lang.Integer / Long
	kFloat        // java.lang.Double
	kBool         // java.lang.Boolean
	kList         // java.util.ArrayList (also arrays, key sets and value collections)
	kMap          // java.util.LinkedHashMap
	kEntry        // java.util.Map.Entry
	kRange        // the list an integer range [a..b] builds, kept as its bounds
	kForeach      // the $foreach scope of a loop
	kInput        // $input
	kUtil         // $util
	kContext      // $context
	kStage        // $stageVariables
)

// value is one template value. It is a small struct passed by value; lists and maps are pointers,
// so they are shared as Java references are.
type value struct {
	k kind
	// s is the string; for a number read from JSON, its JSON text (rendered as is).
	s  string
	n  int64 // kInt; kRange: first
	m  int64 // kRange: last
	f  float64
	l  *list
	mp *omap
	e  *entry
	fe *loop
}

type list struct{ items []value }

// omap is an insertion-ordered map, as the LinkedHashMap Velocity builds for map literals.
type omap struct {
	keys []value
	vals []value
}

type entry struct{ key, val value }

var (
	nullValue  = value{}
	trueValue  = value{k: kBool, n: 1}
	falseValue = value{k: kBool}
)

func stringValue(s string) value { return value{k: kString, s: s} }
func intValue(n int64) value     { return value{k: kInt, n: n} }
func floatValue(f float64) value { return value{k: kFloat, f: f} }
func boolValue(b bool) value {
	if b {
		return trueValue
	}
	return falseValue
}

func (v value) isNull() bool   { return v.k == kNull }
func (v value) isNumber() bool { return v.k == kInt || v.k == kFloat }
func (v value) bool() bool     { return v.n != 0 }

// truthy is Velocity 1.7's #if test: null is false, a Boolean is its value, anything else is true
// (an empty string included).
func (v value) truthy() bool {
	switch v.k {
	case kNull:
		return false
	case kBool:
		return v.n != 0
	}
	return true
}

func (v value) float() float64 {
	if v.k == kInt {
		return float64(v.n)
	}
	return v.f
}

// isCollection reports whether v is iterable by #foreach.
func (v value) isCollection() bool { return v.k == kList || v.k == kRange || v.k == kMap }

// rangeLen is the number of elements of a kRange.
func (v value) rangeLen() int64 {
	if v.m >= v.n {
		return v.m - v.n + 1
	}
	return v.n - v.m + 1
}

// rangeAt is element i of a kRange.
func (v value) rangeAt(i int64) int64 {
	if v.m >= v.n {
		return v.n + i
	}
	return v.n - i
}

// collLen returns the size of a list, range or map.
func (v value) collLen() int {
	switch v.k {
	case kList:
		return len(v.l.items)
	case kRange:
		return int(v.rangeLen())
	case kMap:
		return len(v.mp.keys)
	}
	return 0
}

// collAt returns element i of a list or range; for a map, its i-th value.
func (v value) collAt(i int) value {
	switch v.k {
	case kList:
		return v.l.items[i]
	case kRange:
		return intValue(v.rangeAt(int64(i)))
	case kMap:
		return v.mp.vals[i]
	}
	return nullValue
}

func (m *omap) find(k value) int {
	for i := range m.keys {
		if javaEquals(m.keys[i], k) {
			return i
		}
	}
	return -1
}

// findString finds a string key without building a value.
func (m *omap) findString(k string) int {
	for i := range m.keys {
		if m.keys[i].k == kString && m.keys[i].s == k {
			return i
		}
	}
	return -1
}

func (m *omap) get(k value) (value, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	return nullValue, false
}

// put sets k to v and returns the previous value (null when there was none), as Map.put.
func (m *omap) put(k, v value) value {
	if i := m.find(k); i >= 0 {
		old := m.vals[i]
		m.vals[i] = v
		return old
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	return nullValue
}

func (m *omap) remove(k value) value {
	i := m.find(k)
	if i < 0 {
		return nullValue
	}
	old := m.vals[i]
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i], m.vals[i+1:]...)
	return old
}

// javaEquals is Object.equals between two values of the same class (numbers compare by value, as
// Velocity's == does for any two Numbers).
func javaEquals(a, b value) bool {
	if a.isNumber() && b.isNumber() {
		return compareNumbers(a, b) == 0
	}
	if a.k != b.k {
		if (a.k == kList || a.k == kRange) && (b.k == kList || b.k == kRange) {
			return listEquals(a, b)
		}
		return false
	}
	switch a.k {
	case kNull:
		return true
	case kString:
		return a.s == b.s
	case kBool:
		return a.n == b.n
	case kList, kRange:
		return listEquals(a, b)
	case kMap:
		if len(a.mp.keys) != len(b.mp.keys) {
			return false
		}
		for i, k := range a.mp.keys {
			bv, ok := b.mp.get(k)
			if !ok || !javaEquals(a.mp.vals[i], bv) {
				return false
			}
		}
		return true
	case kEntry:
		return javaEquals(a.e.key, b.e.key) && javaEquals(a.e.val, b.e.val)
	}
	return a == b
}

func listEquals(a, b value) bool {
	n := a.collLen()
	if n != b.collLen() {
		return false
	}
	for i := 0; i < n; i++ {
		if !javaEquals(a.collAt(i), b.collAt(i)) {
			return false
		}
	}
	return true
}

// compareNumbers compares two numbers as Velocity's MathUtils.compare does.
func compareNumbers(a, b value) int {
	if a.k == kInt && b.k == kInt {
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	}
	x, y := a.float(), b.float()
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// velocityEquals is Velocity 1.7's == : numbers by value, values of one class by equals, anything else
// by comparing toString(); two nulls are equal, one null is not.
func velocityEquals(a, b value) bool {
	if a.isNumber() && b.isNumber() {
		return compareNumbers(a, b) == 0
	}
	if a.k == kNull || b.k == kNull {
		return a.k == b.k
	}
	if a.k == b.k || (a.k == kList || a.k == kRange) && (b.k == kList || b.k == kRange) {
		return javaEquals(a, b)
	}
	var ab, bb [64]byte
	as, _ := appendJava(ab[:0], a, 0)
	bs, _ := appendJava(bb[:0], b, 0)
	return string(as) == string(bs)
}

// maxToStringDepth bounds how deeply nested lists and maps are printed (a map can hold itself).
const maxToStringDepth = 64

// appendJava appends v as Java's toString prints it: lists as [a, b], maps as {k=v}, entries as k=v.
// ok is false when v is null (nothing is appended) or nesting is deeper than maxToStringDepth.
func appendJava(dst []byte, v value, depth int) (_ []byte, ok bool) {
	switch v.k {
	case kNull:
		return dst, false
	case kString:
		return append(dst, v.s...), true
	case kInt:
		if v.s != "" {
			return append(dst, v.s...), true
		}
		return strconv.AppendInt(dst, v.n, 10), true
	case kFloat:
		if v.s != "" {
			return append(dst, v.s...), true
		}
		return appendJavaDouble(dst, v.f), true
	case kBool:
		return strconv.AppendBool(dst, v.n != 0), true
	case kEntry:
		if depth >= maxToStringDepth {
			return dst, false
		}
		dst, _ = appendElement(dst, v.e.key, depth+1)
		dst = append(dst, '=')
		return appendElement(dst, v.e.val, depth+1)
	case kList, kRange:
		if depth >= maxToStringDepth {
			return dst, false
		}
		dst = append(dst, '[')
		n := v.collLen()
		for i := 0; i < n; i++ {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			e := v.collAt(i)
			if e.k == kList && v.k == kList && e.l == v.l {
				dst = append(dst, "(this Collection)"...)
				continue
			}
			var ok bool
			if dst, ok = appendElement(dst, e, depth+1); !ok {
				return dst, false
			}
		}
		return append(dst, ']'), true
	case kMap:
		if depth >= maxToStringDepth {
			return dst, false
		}
		dst = append(dst, '{')
		for i := range v.mp.keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			var ok bool
			if dst, ok = appendElement(dst, v.mp.keys[i], depth+1); !ok {
				return dst, false
			}
			dst = append(dst, '=')
			if e := v.mp.vals[i]; e.k == kMap && e.mp == v.mp {
				dst = append(dst, "(this Map)"...)
				continue
			}
			if dst, ok = appendElement(dst, v.mp.vals[i], depth+1); !ok {
				return dst, false
			}
		}
		return append(dst, '}'), true
	case kForeach:
		return append(dst, "org.apache.velocity.runtime.directive.ForeachScope"...), true
	}
	return dst, false
}

// appendElement prints an element of a collection: null prints "null", as in Java.
func appendElement(dst []byte, v value, depth int) ([]byte, bool) {
	if v.k == kNull {
		return append(dst, "null"...), true
	}
	if depth >= maxToStringDepth {
		return dst, false
	}
	return appendJava(dst, v, depth)
}

// toString returns v as Java's String.valueOf would, or ok false for null.
func (v value) toString() (string, bool) {
	switch v.k {
	case kNull:
		return "", false
	case kString:
		return v.s, true
	}
	b, ok := appendJava(nil, v, 0)
	return string(b), ok
}

// appendJavaDouble formats f as Java's Double.toString: decimal notation for 1e-3 <= |f| < 1e7 with at
// least one fractional digit, computerized scientific notation (1.0E10) otherwise.
func appendJavaDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		n := len(dst)
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
		if !strings.Contains(string(dst[n:]), ".") {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // d.ddde±xx
	mant, exp, _ := strings.Cut(string(s), "e")
	dst = append(dst, mant...)
	if !strings.Contains(mant, ".") {
		dst = append(dst, ".0"...)
	}
	dst = append(dst, 'E')
	e, _ := strconv.Atoi(exp)
	return strconv.AppendInt(dst, int64(e), 10)
}

// typeName names v's Java class in error messages.
func (v value) typeName() string {
	switch v.k {
	case kNull:
		return "null"
	case kString:
		return "String"
	case kInt:
		return "Integer"
	case kFloat:
		return "Double"
	case kBool:
		return "Boolean"
	case kList, kRange:
		return "List"
	case kMap:
		return "Map"
	case kEntry:
		return "Map.Entry"
	case kForeach:
		return "$foreach"
	case kInput:
		return "$input"
	case kUtil:
		return "$util"
	case kContext:
		return "$context"
	case kStage:
		return "$stageVariables"
	}
	return "Object"
}
