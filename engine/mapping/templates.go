package mapping

import (
	"fmt"
	"sort"
)

// DefaultKey is the template selection key used when no template matches the key exactly.
const DefaultKey = "$default"

// Templates is a compiled map of templates keyed by template selection key ("$default",
// "application/json", ...). It is immutable and safe for concurrent use; the zero value and nil hold
// no templates.
type Templates struct {
	byKey map[string]*Template
}

// ParseTemplates compiles every template of m. The error names the key of the first template (in key
// order) that fails.
func ParseTemplates(m map[string]string) (*Templates, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ts := &Templates{byKey: make(map[string]*Template, len(m))}
	for _, k := range keys {
		t, err := Parse(m[k])
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", k, err)
		}
		ts.byKey[k] = t
	}
	return ts, nil
}

// Select returns the template for key, else the "$default" template, else false.
func (ts *Templates) Select(key string) (*Template, bool) {
	if ts == nil {
		return nil, false
	}
	if t, ok := ts.byKey[key]; ok {
		return t, true
	}
	t, ok := ts.byKey[DefaultKey]
	return t, ok
}

// Len returns the number of templates.
func (ts *Templates) Len() int {
	if ts == nil {
		return 0
	}
	return len(ts.byKey)
}
