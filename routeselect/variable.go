package routeselect

import (
	"strings"

	"github.com/tidwall/gjson"
)

// kind tells what a segment of a compiled expression stands for.
type kind uint8

const (
	kindLiteral             kind = iota
	kindBody                     // $request.body: the whole body text
	kindBodyPath                 // $request.body.<gjson path>
	kindHeader                   // $request.header.<name>
	kindQueryString              // $request.querystring.<name>
	kindPathParameter            // $request.path.<name>
	kindMethod                   // $request.method
	kindPath                     // $request.path
	kindContext                  // $context.<name>
	kindStageVariable            // $stageVariables.<name>
	kindIntegrationResponse      // $integration.response.<name>
)

// segment is one piece of a compiled expression: literal text or one variable.
type segment struct {
	kind kind
	// text is the literal text, or the variable's name within its namespace
	// (the gjson path for kindBodyPath).
	text string
	// source is the variable's full name as written ("request.body.action"); empty for literals.
	source string
}

func (s segment) usesBody() bool { return s.kind == kindBody || s.kind == kindBodyPath }

// resolveVariable compiles a variable name (without "$" or braces) into a segment.
// It returns a non-empty reason when the name is not a known variable.
func resolveVariable(name string) (segment, string) {
	switch name {
	case "request.body":
		return segment{kind: kindBody, source: name}, ""
	case "request.method":
		return segment{kind: kindMethod, source: name}, ""
	case "request.path":
		return segment{kind: kindPath, source: name}, ""
	}
	// Each prefix names a namespace of variables; none is a prefix of another.
	namespaces := [...]struct {
		prefix string
		kind   kind
	}{
		{"request.body.", kindBodyPath},
		{"request.header.", kindHeader},
		{"request.querystring.", kindQueryString},
		{"request.path.", kindPathParameter},
		{"context.", kindContext},
		{"stageVariables.", kindStageVariable},
		{"integration.response.", kindIntegrationResponse},
		// $response.header.x, $response.body.x: HTTP API response parameter mappings, answered by
		// the same IntegrationResponseSource as "header.x", "body.x".
		{"response.", kindIntegrationResponse},
	}
	for _, ns := range namespaces {
		if rest, ok := strings.CutPrefix(name, ns.prefix); ok {
			if rest == "" {
				return segment{}, "variable without a name after its namespace"
			}
			return segment{kind: ns.kind, text: rest, source: name}, ""
		}
	}
	return segment{}, "unknown variable"
}

// lookup returns the value of a variable segment. body must already be known to be valid
// JSON when the segment uses it. The result may alias body; a nil src leaves every
// non-body variable missing.
func (s segment) lookup(body string, src Source) (string, bool) {
	switch s.kind {
	case kindBody:
		return body, true
	case kindBodyPath:
		return bodyValue(gjson.Get(body, s.text))
	}
	if src == nil {
		return "", false
	}
	switch s.kind {
	case kindHeader:
		return src.Header(s.text)
	case kindQueryString:
		return src.QueryString(s.text)
	case kindPathParameter:
		return src.PathParameter(s.text)
	case kindMethod:
		m := src.Method()
		return m, m != ""
	case kindPath:
		p := src.Path()
		return p, p != ""
	case kindContext:
		return src.Context(s.text)
	case kindStageVariable:
		return src.StageVariable(s.text)
	case kindIntegrationResponse:
		if irs, ok := src.(IntegrationResponseSource); ok {
			return irs.IntegrationResponse(s.text)
		}
	}
	return "", false
}

// appendLookup appends the value of a variable segment to dst, building arrays in place.
func (s segment) appendLookup(dst []byte, body string, src Source) ([]byte, bool) {
	if s.kind == kindBodyPath {
		res := gjson.Get(body, s.text)
		if res.IsArray() {
			return appendArray(dst, res), true
		}
		v, ok := scalarText(res)
		return append(dst, v...), ok
	}
	v, ok := s.lookup(body, src)
	return append(dst, v...), ok
}

// bodyValue is the value of a body path's result: arrays rendered as appendArray does, other
// values as scalarText does.
func bodyValue(res gjson.Result) (string, bool) {
	if res.IsArray() {
		return string(appendArray(nil, res)), true
	}
	return scalarText(res)
}

// scalarText stringifies a non-array JSON result: strings unquoted, numbers and booleans
// as their JSON text, objects as raw JSON. null and a missing value count as missing.
func scalarText(res gjson.Result) (string, bool) {
	switch res.Type {
	case gjson.String:
		return res.Str, true
	case gjson.Null:
		return "", false
	default:
		return res.Raw, true
	}
}

// appendArray renders a JSON array as API Gateway does: "[item1, item2]", items joined by
// ", ", strings unquoted, nested arrays rendered the same way, objects as raw JSON and
// null items as "null".
func appendArray(dst []byte, arr gjson.Result) []byte {
	dst = append(dst, '[')
	first := true
	arr.ForEach(func(_, item gjson.Result) bool {
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		switch {
		case item.IsArray():
			dst = appendArray(dst, item)
		case item.Type == gjson.String:
			dst = append(dst, item.Str...)
		default:
			dst = append(dst, item.Raw...)
		}
		return true
	})
	return append(dst, ']')
}
