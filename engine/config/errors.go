package config

import (
	"fmt"
	"strings"
)

// FieldError is one problem with one field of a config.
type FieldError struct {
	// Path names the field, e.g. "apis[0].routes[2].integration.integrationUri". Empty when the
	// problem is not about one field (a YAML syntax error).
	Path string
	// Msg says what is wrong.
	Msg string
	// Pos is "file:line:col" of the field, or empty for a config built in code.
	Pos string
}

// Error formats the problem as "file:line:col: path: message", leaving out empty parts.
func (e FieldError) Error() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{e.Pos, e.Path, e.Msg} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ": ")
}

// Errors is every problem found in a config. Parse and Validate return it as *Errors; errors.As
// finds it with a target of either *Errors or **Errors.
type Errors []FieldError

// Error prints one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// As lets errors.As fill a plain Errors target from the *Errors that Parse and Validate return.
func (es *Errors) As(target any) bool {
	t, ok := target.(*Errors)
	if !ok || es == nil {
		return false
	}
	*t = *es
	return true
}

// Errorf returns a problem with the field at path, positioned in the file the config came from.
// The engine reports what it finds compiling expressions and templates through it, so its
// errors read like the ones Validate returns.
func (c *Config) Errorf(path, format string, args ...any) FieldError {
	return FieldError{Path: path, Msg: fmt.Sprintf(format, args...), Pos: c.Locate(path)}
}

// problems collects FieldErrors of one config.
type problems struct {
	c    *Config
	list Errors
}

func (p *problems) add(path, format string, args ...any) {
	p.list = append(p.list, p.c.Errorf(path, format, args...))
}

// err returns the problems as *Errors, or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	es := p.list
	return &es
}
