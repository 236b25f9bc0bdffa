package mapping

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// jsonBody returns the body as a string, and whether it is valid JSON (checked once per Render).
func (s *state) jsonBody() (string, bool) {
	if !s.bodyChecked {
		s.bodyChecked = true
		s.body = bytesString(s.v.Body())
		s.bodyValid = gjson.Valid(s.body)
	}
	return s.body, s.bodyValid
}

// inputLookup evaluates the JSONPath of $input.json / $input.path. ok is false when the path is not a
// string or is invalid; found is false when the body is not JSON or holds nothing at the path.
func (s *state) inputLookup(m *mod) (raw string, found, ok bool) {
	jp := m.path
	if jp == nil {
		arg := s.eval(m.args[0])
		if s.err != nil || arg.k != kString {
			return "", false, false
		}
		p, _, err := compileJSONPath(arg.s)
		if err != nil {
			s.fail(m.off, "$input."+m.name+"("+strconv.Quote(arg.s)+")", err)
			return "", false, false
		}
		jp = &p
	}
	body, valid := s.jsonBody()
	if !valid {
		return "", false, true
	}
	raw, found = jp.lookup(body)
	return raw, found, true
}

// input evaluates the first member of $input.
func (s *state) input(m *mod) value {
	switch m.name {
	case "body":
		return stringValue(bytesString(s.v.Body()))
	case "json":
		raw, found, ok := s.inputLookup(m)
		if !ok {
			return nullValue
		}
		if !found {
			return stringValue("null")
		}
		return stringValue(compactString(raw))
	case "path":
		raw, found, ok := s.inputLookup(m)
		if !ok || !found {
			return nullValue
		}
		return s.fromJSON(gjson.Parse(raw), 0, m.off)
	case "params":
		if len(m.args) == 0 {
			return s.paramsMap()
		}
		arg := s.eval(m.args[0])
		if s.err != nil {
			return nullValue
		}
		name, ok := s.str(arg)
		if !ok {
			return stringValue("")
		}
		v, _ := s.v.Param(name)
		return stringValue(v)
	}
	return nullValue
}

// util evaluates $util.fn(arg) as a value (see appendRef for the path that renders it directly).
func (s *state) util(m *mod, off int) value {
	arg := s.eval(m.args[0])
	if s.err != nil || arg.isNull() {
		return nullValue
	}
	in, _ := s.str(arg)
	if m.name == "parseJson" {
		if !gjson.Valid(in) {
			s.fail(off, "$util.parseJson: the argument is not valid JSON", nil)
			return nullValue
		}
		return s.fromJSON(gjson.Parse(in), 0, off)
	}
	out, err := m.util(nil, in)
	if err != nil {
		s.fail(off, "$util."+m.name, err)
		return nullValue
	}
	return stringValue(string(out))
}

// context returns $context.<name>: an override set by this template, else the request's value.
func (s *state) context(name string) value {
	if len(s.overrides) > 0 {
		if v, ok := s.overrideValue(name); ok {
			return v
		}
	}
	if v, ok := s.v.Context(name); ok {
		return stringValue(v)
	}
	return nullValue
}

func (s *state) stageVariable(name string) value {
	if v, ok := s.v.StageVariable(name); ok {
		return stringValue(v)
	}
	return nullValue
}

// stageMap returns $stageVariables as a map, from StageVariableLister (empty without it).
func (s *state) stageMap() value {
	if s.stage.k == kMap {
		return s.stage
	}
	m := s.newMap()
	if l, ok := s.v.(StageVariableLister); ok {
		for i := 0; ; i++ {
			name, val, ok := l.StageVariableAt(i)
			if !ok {
				break
			}
			m.keys = append(m.keys, stringValue(name))
			m.vals = append(m.vals, stringValue(val))
		}
	}
	s.stage = value{k: kMap, mp: m}
	return s.stage
}

// paramLocations are the maps of $input.params(), in the order API Gateway prints them.
var paramLocations = [...]string{"path", "querystring", "header"}

// paramsMap returns $input.params(): {path: {...}, querystring: {...}, header: {...}}, filled from
// ParamLister (empty maps without it).
func (s *state) paramsMap() value {
	if s.params.k == kMap {
		return s.params
	}
	l, _ := s.v.(ParamLister)
	all := s.newMap()
	for _, loc := range paramLocations {
		m := s.newMap()
		if l != nil {
			for i := 0; ; i++ {
				name, val, ok := l.ParamAt(loc, i)
				if !ok {
					break
				}
				m.keys = append(m.keys, stringValue(name))
				m.vals = append(m.vals, stringValue(val))
			}
		}
		all.keys = append(all.keys, stringValue(loc))
		all.vals = append(all.vals, value{k: kMap, mp: m})
	}
	s.params = value{k: kMap, mp: all}
	return s.params
}

// fromJSON converts parsed JSON into template values: objects become maps (in document order), arrays
// lists, strings strings; numbers keep their JSON text for rendering.
func (s *state) fromJSON(r gjson.Result, depth, off int) value {
	if depth > maxJSONDepth {
		s.fail(off, "JSON nested more than "+strconv.Itoa(maxJSONDepth)+" deep", nil)
		return nullValue
	}
	switch r.Type {
	case gjson.String:
		return stringValue(jsonString(r.Raw))
	case gjson.Number:
		raw := r.Raw
		if !strings.ContainsAny(raw, ".eE") {
			if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
				return value{k: kInt, n: n, s: raw}
			}
		}
		return value{k: kFloat, f: r.Num, s: raw}
	case gjson.True:
		return trueValue
	case gjson.False:
		return falseValue
	case gjson.JSON:
		if r.IsArray() {
			l := s.newList(0)
			r.ForEach(func(_, v gjson.Result) bool {
				l.items = append(l.items, s.fromJSON(v, depth+1, off))
				return s.err == nil
			})
			return value{k: kList, l: l}
		}
		m := s.newMap()
		r.ForEach(func(k, v gjson.Result) bool {
			key := stringValue(jsonString(k.Raw))
			val := s.fromJSON(v, depth+1, off)
			if i := m.find(key); i >= 0 { // a repeated key: the last one wins
				m.vals[i] = val
				return s.err == nil
			}
			m.keys = append(m.keys, key)
			m.vals = append(m.vals, val)
			return s.err == nil
		})
		return value{k: kMap, mp: m}
	}
	return nullValue
}

// jsonString returns the content of a JSON string literal, unescaped; without escapes it is a
// substring of raw.
func jsonString(raw string) string {
	if len(raw) < 2 {
		return ""
	}
	inner := raw[1 : len(raw)-1]
	if strings.IndexByte(inner, '\\') < 0 {
		return inner
	}
	return string(appendUnquoted(nil, inner))
}

// compactString is appendCompact as a string; without whitespace to drop it is raw itself.
func compactString(raw string) string {
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case isJSONSpace(c):
			return string(appendCompact(nil, raw))
		}
	}
	return raw
}

// bytesList is String.getBytes() in UTF-8, as a list of (signed) bytes.
func (s *state) bytesList(str string) value {
	l := s.newList(len(str))
	for i := 0; i < len(str); i++ {
		l.items = append(l.items, intValue(int64(int8(str[i]))))
	}
	return value{k: kList, l: l}
}
