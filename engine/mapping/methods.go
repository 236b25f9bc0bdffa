package mapping

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// method calls the Java method m on v (not null) with args.
func (s *state) method(v value, m *mod, args []value) value {
	switch v.k {
	case kString:
		return s.stringMethod(v.s, m, args)
	case kList, kRange:
		return s.listMethod(v, m, args)
	case kMap:
		return s.mapMethod(v.mp, m, args)
	case kStage:
		return s.mapMethod(s.stageMap().mp, m, args)
	case kInt, kFloat:
		return s.numberMethod(v, m, args)
	case kBool:
		switch m.name {
		case "toString":
			return stringValue(strconv.FormatBool(v.bool()))
		case "booleanValue":
			if len(args) == 0 {
				return v
			}
		case "equals":
			if len(args) == 1 {
				return boolValue(args[0].k == kBool && args[0].n == v.n)
			}
		case "hashCode":
			return intValue(javaHash(v))
		}
	case kEntry:
		switch m.name {
		case "getKey":
			return v.e.key
		case "getValue":
			return v.e.val
		case "toString":
			str, _ := v.toString()
			return stringValue(str)
		}
	case kForeach:
		switch m.name {
		case "hasNext", "getHasNext":
			return boolValue(v.fe.hasNext)
		case "getIndex":
			return intValue(int64(v.fe.index))
		case "getCount":
			return intValue(int64(v.fe.index + 1))
		case "isFirst", "getFirst":
			return boolValue(v.fe.index == 0)
		case "isLast", "getLast":
			return boolValue(!v.fe.hasNext)
		case "getParent":
			return v.fe.parent
		}
	case kContext:
		if m.name == "get" && len(args) == 1 {
			name, _ := s.str(args[0])
			return s.context(name)
		}
	}
	return s.noMethod(v, m, args)
}

func (s *state) noMethod(v value, m *mod, args []value) value {
	s.fail(m.off, "method "+m.name+" with "+strconv.Itoa(len(args))+" argument(s) does not exist on "+v.typeName(), nil)
	return nullValue
}

// argString returns args[i] as a String argument: a string, or (for CharSequence parameters that
// Velocity converts) the toString of a char.
func (s *state) argString(v value, m *mod, args []value, i int) (string, bool) {
	if i >= len(args) || args[i].k != kString {
		if i < len(args) && args[i].k == kNull {
			s.fail(m.off, "."+m.name+": argument "+strconv.Itoa(i+1)+" is null", nil)
			return "", false
		}
		s.noMethod(v, m, args)
		return "", false
	}
	return args[i].s, true
}

func (s *state) argInt(v value, m *mod, args []value, i int) (int, bool) {
	if i >= len(args) || args[i].k != kInt || args[i].n < math.MinInt32 || args[i].n > math.MaxInt32 {
		s.noMethod(v, m, args)
		return 0, false
	}
	return int(args[i].n), true
}

func (s *state) stringMethod(str string, m *mod, args []value) value {
	recv := stringValue(str)
	bad := func() value { return s.noMethod(recv, m, args) }
	switch m.name {
	case "length":
		if len(args) == 0 {
			return intValue(int64(utf16Len(str)))
		}
	case "isEmpty":
		if len(args) == 0 {
			return boolValue(str == "")
		}
	case "toString", "trim", "toLowerCase", "toUpperCase":
		if len(args) != 0 {
			return bad()
		}
		switch m.name {
		case "trim":
			return stringValue(strings.TrimFunc(str, func(r rune) bool { return r <= ' ' }))
		case "toLowerCase":
			return stringValue(strings.ToLower(str))
		case "toUpperCase":
			return stringValue(strings.ToUpper(str))
		}
		return recv
	case "hashCode":
		if len(args) == 0 {
			return intValue(javaHash(recv))
		}
	case "getBytes":
		if len(args) == 0 {
			return s.bytesList(str)
		}
	case "equals":
		if len(args) == 1 {
			return boolValue(args[0].k == kString && args[0].s == str)
		}
	case "equalsIgnoreCase":
		if len(args) == 1 {
			return boolValue(args[0].k == kString && strings.EqualFold(args[0].s, str))
		}
	case "contains", "endsWith", "concat", "compareTo":
		if len(args) != 1 {
			return bad()
		}
		a, ok := s.argString(recv, m, args, 0)
		if !ok {
			return nullValue
		}
		switch m.name {
		case "contains":
			return boolValue(strings.Contains(str, a))
		case "endsWith":
			return boolValue(strings.HasSuffix(str, a))
		case "concat":
			return stringValue(str + a)
		}
		return intValue(int64(compareUTF16(str, a)))
	case "startsWith":
		a, ok := s.argString(recv, m, args, 0)
		if !ok {
			return nullValue
		}
		if len(args) == 1 {
			return boolValue(strings.HasPrefix(str, a))
		}
		from, ok := s.argInt(recv, m, args, 1)
		if !ok {
			return nullValue
		}
		u := toUTF16(str)
		if from < 0 || from > len(u) {
			return falseValue
		}
		return boolValue(strings.HasPrefix(fromUTF16(u[from:]), a))
	case "indexOf", "lastIndexOf":
		if len(args) < 1 || len(args) > 2 {
			return bad()
		}
		a, ok := s.argString(recv, m, args, 0)
		if !ok {
			return nullValue
		}
		u, sub := toUTF16(str), toUTF16(a)
		from := 0
		if m.name == "lastIndexOf" {
			from = len(u)
		}
		if len(args) == 2 {
			if from, ok = s.argInt(recv, m, args, 1); !ok {
				return nullValue
			}
		}
		return intValue(int64(indexUTF16(u, sub, from, m.name == "lastIndexOf")))
	case "charAt":
		i, ok := s.argInt(recv, m, args, 0)
		if !ok || len(args) != 1 {
			return bad()
		}
		u := toUTF16(str)
		if i < 0 || i >= len(u) {
			s.fail(m.off, ".charAt("+strconv.Itoa(i)+"): index out of range for a string of length "+strconv.Itoa(len(u)), nil)
			return nullValue
		}
		return stringValue(fromUTF16(u[i : i+1]))
	case "substring":
		if len(args) < 1 || len(args) > 2 {
			return bad()
		}
		b, ok := s.argInt(recv, m, args, 0)
		if !ok {
			return nullValue
		}
		u := toUTF16(str)
		e := len(u)
		if len(args) == 2 {
			if e, ok = s.argInt(recv, m, args, 1); !ok {
				return nullValue
			}
		}
		if b < 0 || e > len(u) || b > e {
			s.fail(m.off, ".substring: begin "+strconv.Itoa(b)+", end "+strconv.Itoa(e)+", length "+strconv.Itoa(len(u)), nil)
			return nullValue
		}
		if isASCII(str) {
			return stringValue(str[b:e])
		}
		return stringValue(fromUTF16(u[b:e]))
	case "replace":
		if len(args) != 2 {
			return bad()
		}
		a, ok := s.argString(recv, m, args, 0)
		if !ok {
			return nullValue
		}
		b, ok := s.argString(recv, m, args, 1)
		if !ok {
			return nullValue
		}
		return stringValue(strings.ReplaceAll(str, a, b))
	case "replaceAll", "replaceFirst":
		if len(args) != 2 {
			return bad()
		}
		re := s.regex(recv, m, args, false)
		if re == nil {
			return nullValue
		}
		repl, ok := s.argString(recv, m, args, 1)
		if !ok {
			return nullValue
		}
		tmpl, err := javaReplacement(repl, re.NumSubexp())
		if err != nil {
			s.fail(m.off, "."+m.name, err)
			return nullValue
		}
		if m.name == "replaceAll" {
			return stringValue(re.ReplaceAllString(str, tmpl))
		}
		loc := re.FindStringSubmatchIndex(str)
		if loc == nil {
			return recv
		}
		out := re.ExpandString([]byte(str[:loc[0]]), tmpl, str, loc)
		return stringValue(string(out) + str[loc[1]:])
	case "matches":
		if len(args) != 1 {
			return bad()
		}
		re := s.regex(recv, m, args, true)
		if re == nil {
			return nullValue
		}
		return boolValue(re.MatchString(str))
	case "split":
		if len(args) < 1 || len(args) > 2 {
			return bad()
		}
		re := s.regex(recv, m, args, false)
		if re == nil {
			return nullValue
		}
		limit := 0
		if len(args) == 2 {
			var ok bool
			if limit, ok = s.argInt(recv, m, args, 1); !ok {
				return nullValue
			}
		}
		return s.split(str, re, limit)
	}
	return bad()
}

// regex returns the compiled pattern argument of m (compiled once when it was a literal).
func (s *state) regex(recv value, m *mod, args []value, anchored bool) *regexp.Regexp {
	if m.re != nil {
		return m.re
	}
	pat, ok := s.argString(recv, m, args, 0)
	if !ok {
		return nil
	}
	if anchored {
		pat = `^(?:` + pat + `)$`
	}
	re, err := compileJavaRegex(pat)
	if err != nil {
		s.fail(m.off, "."+m.name, err)
		return nil
	}
	return re
}

// split is String.split: a limit of 0 drops trailing empty strings; no match yields the string.
func (s *state) split(str string, re *regexp.Regexp, limit int) value {
	n := -1
	if limit > 0 {
		n = limit
	}
	var parts []string
	if str == "" || !re.MatchString(str) {
		parts = []string{str}
	} else {
		parts = re.Split(str, n)
		// Java drops the empty leading substring a zero-width match at the start makes.
		if len(parts) > 1 && parts[0] == "" {
			if loc := re.FindStringIndex(str); loc != nil && loc[0] == 0 && loc[1] == 0 {
				parts = parts[1:]
			}
		}
		if limit == 0 {
			for len(parts) > 0 && parts[len(parts)-1] == "" {
				parts = parts[:len(parts)-1]
			}
		}
	}
	l := s.newList(len(parts))
	for _, p := range parts {
		l.items = append(l.items, stringValue(p))
	}
	return value{k: kList, l: l}
}

func (s *state) listMethod(v value, m *mod, args []value) value {
	bad := func() value { return s.noMethod(v, m, args) }
	n := v.collLen()
	switch m.name {
	case "size", "count":
		if len(args) == 0 {
			return intValue(int64(n))
		}
	case "isEmpty":
		if len(args) == 0 {
			return boolValue(n == 0)
		}
	case "toString":
		if len(args) == 0 {
			str, ok := v.toString()
			if !ok {
				s.fail(m.off, "list nested too deeply to print", nil)
			}
			return stringValue(str)
		}
	case "hashCode":
		if len(args) == 0 {
			return intValue(javaHash(v))
		}
	case "equals":
		if len(args) == 1 {
			return boolValue(javaEquals(v, args[0]))
		}
	case "get":
		if len(args) != 1 {
			return bad()
		}
		i, ok := s.argInt(v, m, args, 0)
		if !ok {
			return nullValue
		}
		if i < 0 || i >= n {
			s.fail(m.off, ".get("+strconv.Itoa(i)+"): index out of bounds for a list of "+strconv.Itoa(n), nil)
			return nullValue
		}
		return v.collAt(i)
	case "contains", "indexOf", "lastIndexOf":
		if len(args) != 1 {
			return bad()
		}
		found := -1
		for i := 0; i < n; i++ {
			j := i
			if m.name == "lastIndexOf" {
				j = n - 1 - i
			}
			if javaEquals(v.collAt(j), args[0]) {
				found = j
				break
			}
		}
		if m.name == "contains" {
			return boolValue(found >= 0)
		}
		return intValue(int64(found))
	case "containsAll":
		if len(args) != 1 || !args[0].isCollection() {
			return bad()
		}
		for i := 0; i < args[0].collLen(); i++ {
			if r := s.listMethod(v, &mod{name: "contains"}, []value{args[0].collAt(i)}); !r.bool() {
				return falseValue
			}
		}
		return trueValue
	case "subList":
		if len(args) != 2 {
			return bad()
		}
		a, ok1 := s.argInt(v, m, args, 0)
		b, ok2 := s.argInt(v, m, args, 1)
		if !ok1 || !ok2 {
			return nullValue
		}
		if a < 0 || b > n || a > b {
			s.fail(m.off, ".subList: from "+strconv.Itoa(a)+", to "+strconv.Itoa(b)+", size "+strconv.Itoa(n), nil)
			return nullValue
		}
		l := s.newList(b - a)
		for i := a; i < b; i++ {
			l.items = append(l.items, v.collAt(i))
		}
		return value{k: kList, l: l}
	}
	if v.k == kRange {
		// A range is read-only here; its mutators are not supported.
		return bad()
	}
	l := v.l
	switch m.name {
	case "add":
		switch len(args) {
		case 1:
			l.items = append(l.items, args[0])
			return trueValue
		case 2:
			i, ok := s.argInt(v, m, args, 0)
			if !ok {
				return nullValue
			}
			if i < 0 || i > n {
				s.fail(m.off, ".add("+strconv.Itoa(i)+", ...): index out of bounds for a list of "+strconv.Itoa(n), nil)
				return nullValue
			}
			l.items = append(l.items, nullValue)
			copy(l.items[i+1:], l.items[i:])
			l.items[i] = args[1]
			return nullValue // void
		}
	case "set":
		if len(args) != 2 {
			return bad()
		}
		i, ok := s.argInt(v, m, args, 0)
		if !ok {
			return nullValue
		}
		if i < 0 || i >= n {
			s.fail(m.off, ".set("+strconv.Itoa(i)+", ...): index out of bounds for a list of "+strconv.Itoa(n), nil)
			return nullValue
		}
		old := l.items[i]
		l.items[i] = args[1]
		return old
	case "remove":
		if len(args) != 1 {
			return bad()
		}
		if args[0].k == kInt { // remove(int index)
			i := int(args[0].n)
			if i < 0 || i >= n {
				s.fail(m.off, ".remove("+strconv.Itoa(i)+"): index out of bounds for a list of "+strconv.Itoa(n), nil)
				return nullValue
			}
			old := l.items[i]
			l.items = append(l.items[:i], l.items[i+1:]...)
			return old
		}
		for i := range l.items {
			if javaEquals(l.items[i], args[0]) {
				l.items = append(l.items[:i], l.items[i+1:]...)
				return trueValue
			}
		}
		return falseValue
	case "addAll":
		if len(args) != 1 || !args[0].isCollection() {
			return bad()
		}
		src := args[0]
		for i := 0; i < src.collLen(); i++ {
			l.items = append(l.items, src.collAt(i))
		}
		return boolValue(src.collLen() > 0)
	case "clear":
		if len(args) == 0 {
			clear(l.items)
			l.items = l.items[:0]
			return nullValue // void
		}
	}
	return bad()
}

func (s *state) mapMethod(mp *omap, m *mod, args []value) value {
	v := value{k: kMap, mp: mp}
	bad := func() value { return s.noMethod(v, m, args) }
	switch m.name {
	case "get", "containsKey", "remove":
		if len(args) != 1 {
			return bad()
		}
		switch m.name {
		case "get":
			r, _ := mp.get(args[0])
			return r
		case "containsKey":
			return boolValue(mp.find(args[0]) >= 0)
		}
		return mp.remove(args[0])
	case "getOrDefault":
		if len(args) == 2 {
			if r, ok := mp.get(args[0]); ok {
				return r
			}
			return args[1]
		}
	case "put":
		if len(args) == 2 {
			return mp.put(args[0], args[1])
		}
	case "putAll":
		if len(args) == 1 && args[0].k == kMap {
			for i, k := range args[0].mp.keys {
				mp.put(k, args[0].mp.vals[i])
			}
			return nullValue // void
		}
	case "containsValue":
		if len(args) == 1 {
			for _, x := range mp.vals {
				if javaEquals(x, args[0]) {
					return trueValue
				}
			}
			return falseValue
		}
	case "keySet", "values", "entrySet":
		if len(args) != 0 {
			return bad()
		}
		l := s.newList(len(mp.keys))
		for i := range mp.keys {
			switch m.name {
			case "keySet":
				l.items = append(l.items, mp.keys[i])
			case "values":
				l.items = append(l.items, mp.vals[i])
			default:
				l.items = append(l.items, value{k: kEntry, e: s.newEntry(mp.keys[i], mp.vals[i])})
			}
		}
		return value{k: kList, l: l}
	case "size", "count":
		if len(args) == 0 {
			return intValue(int64(len(mp.keys)))
		}
	case "isEmpty":
		if len(args) == 0 {
			return boolValue(len(mp.keys) == 0)
		}
	case "clear":
		if len(args) == 0 {
			clear(mp.keys)
			clear(mp.vals)
			mp.keys, mp.vals = mp.keys[:0], mp.vals[:0]
			return nullValue // void
		}
	case "toString":
		if len(args) == 0 {
			str, ok := v.toString()
			if !ok {
				s.fail(m.off, "map nested too deeply to print", nil)
			}
			return stringValue(str)
		}
	case "equals":
		if len(args) == 1 {
			return boolValue(javaEquals(v, args[0]))
		}
	case "hashCode":
		if len(args) == 0 {
			return intValue(javaHash(v))
		}
	}
	return bad()
}

func (s *state) numberMethod(v value, m *mod, args []value) value {
	switch m.name {
	case "toString":
		if len(args) == 0 {
			str, _ := v.toString()
			return stringValue(str)
		}
	case "equals":
		if len(args) == 1 {
			return boolValue(args[0].k == v.k && compareNumbers(v, args[0]) == 0)
		}
	case "hashCode":
		if len(args) == 0 {
			return intValue(javaHash(v))
		}
	case "intValue", "longValue":
		if len(args) == 0 {
			if v.k == kInt {
				return intValue(v.n)
			}
			return intValue(int64(v.f))
		}
	case "doubleValue":
		if len(args) == 0 {
			return floatValue(v.float())
		}
	case "compareTo":
		if len(args) == 1 && args[0].isNumber() {
			return intValue(int64(compareNumbers(v, args[0])))
		}
	}
	return s.noMethod(v, m, args)
}

// javaHash is hashCode() as Java computes it for strings, numbers, booleans, lists and maps.
func javaHash(v value) int64 {
	switch v.k {
	case kString:
		var h int32
		for _, c := range toUTF16(v.s) {
			h = 31*h + int32(c)
		}
		return int64(h)
	case kInt:
		if v.n >= math.MinInt32 && v.n <= math.MaxInt32 {
			return v.n
		}
		return int64(int32(v.n ^ int64(uint64(v.n)>>32)))
	case kFloat:
		b := math.Float64bits(v.f)
		return int64(int32(b ^ b>>32))
	case kBool:
		if v.bool() {
			return 1231
		}
		return 1237
	case kList, kRange:
		var h int32 = 1
		for i := 0; i < v.collLen(); i++ {
			h = 31*h + int32(javaHash(v.collAt(i)))
		}
		return int64(h)
	case kMap:
		var h int32
		for i := range v.mp.keys {
			h += int32(javaHash(v.mp.keys[i])) ^ int32(javaHash(v.mp.vals[i]))
		}
		return int64(h)
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf16Len is String.length(): the number of UTF-16 code units.
func utf16Len(s string) int {
	if isASCII(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func toUTF16(s string) []uint16 { return utf16.Encode([]rune(s)) }

func fromUTF16(u []uint16) string { return string(utf16.Decode(u)) }

// indexUTF16 is String.indexOf / lastIndexOf(sub, from) over UTF-16 units.
func indexUTF16(s, sub []uint16, from int, last bool) int {
	if last {
		if from > len(s)-len(sub) {
			from = len(s) - len(sub)
		}
		for i := from; i >= 0; i-- {
			if equalUTF16(s[i:i+len(sub)], sub) {
				return i
			}
		}
		return -1
	}
	if from < 0 {
		from = 0
	}
	for i := from; i+len(sub) <= len(s); i++ {
		if equalUTF16(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func equalUTF16(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// compareUTF16 is String.compareTo.
func compareUTF16(a, b string) int {
	ua, ub := toUTF16(a), toUTF16(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}
