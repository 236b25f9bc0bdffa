package engine

import (
	"strconv"
	"strings"
	"time"
)

// accessFormat is a stage's compiled accessLogSettings.format: literal text and $context variables.
type accessFormat struct {
	parts []accessPart
}

type accessPart struct {
	text     string
	variable bool // text is a $context variable's name
}

// compileAccessFormat splits format into literal text and $context.name references (also written
// ${context.name}).
func compileAccessFormat(format string) *accessFormat {
	f := &accessFormat{}
	lit := strings.Builder{}
	for i := 0; i < len(format); {
		rest := format[i:]
		var name string
		var n int
		switch {
		case strings.HasPrefix(rest, "${context."):
			if end := strings.IndexByte(rest, '}'); end > 0 {
				name, n = rest[len("${context."):end], end+1
			}
		case strings.HasPrefix(rest, "$context."):
			j := len("$context.")
			for j < len(rest) && isNameByte(rest[j]) {
				j++
			}
			// A name does not end with a dot: "$context.status." is the variable and a period.
			for j > len("$context.") && rest[j-1] == '.' {
				j--
			}
			name, n = rest[len("$context."):j], j
		}
		if name == "" {
			lit.WriteByte(format[i])
			i++
			continue
		}
		if lit.Len() > 0 {
			f.parts = append(f.parts, accessPart{text: lit.String()})
			lit.Reset()
		}
		f.parts = append(f.parts, accessPart{text: name, variable: true})
		i += n
	}
	if lit.Len() > 0 {
		f.parts = append(f.parts, accessPart{text: lit.String()})
	}
	return f
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// render writes the line; a variable without a value prints "-", as API Gateway's access logs do.
func (f *accessFormat) render(value func(name string) (string, bool)) string {
	var b strings.Builder
	for _, p := range f.parts {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		if v, ok := value(p.text); ok && v != "" {
			b.WriteString(v)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// accessVars adds the variables only an access log has to a request's $context.
func accessVars(ctx func(string) (string, bool), status int, start time.Time) func(string) (string, bool) {
	return func(name string) (string, bool) {
		switch name {
		case "status":
			return strconv.Itoa(status), true
		case "responseLatency":
			return strconv.FormatInt(time.Since(start).Milliseconds(), 10), true
		}
		return ctx(name)
	}
}
