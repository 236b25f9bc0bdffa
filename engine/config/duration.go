package config

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Duration is a time.Duration written in the config as a Go duration string ("10m", "29s") or
// as a whole number of milliseconds (29000).
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d as a Go duration string.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalYAML writes d as a Go duration string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON writes d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a Go duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	switch v := v.(type) {
	case nil:
		*d = 0
		return nil
	case string:
		p, err := parseDuration(v)
		if err != nil {
			return err
		}
		*d = p
		return nil
	case float64:
		if v != math.Trunc(v) {
			return fmt.Errorf("%v: %s", v, durationForms)
		}
		if math.Abs(v) > float64(math.MaxInt64/int64(time.Millisecond)) {
			return fmt.Errorf("%v milliseconds is out of range", v)
		}
		*d = Duration(time.Duration(v) * time.Millisecond)
		return nil
	default:
		return fmt.Errorf("%s, got %s", durationForms, string(b))
	}
}

// UnmarshalYAML reads a Go duration string or a number of milliseconds from a YAML node.
// Errors carry the node's position. Aliases resolve when ctx comes from Parse.
func (d *Duration) UnmarshalYAML(ctx context.Context, node ast.Node) error {
	node = resolve(ctx, node)
	if node == nil {
		*d = 0
		return nil
	}
	tok := node.GetToken()
	switch n := node.(type) {
	case *ast.NullNode:
		*d = 0
		return nil
	case *ast.StringNode:
		p, err := parseDuration(n.Value)
		if err != nil {
			return &nodeError{tok: tok, msg: err.Error()}
		}
		*d = p
		return nil
	case *ast.LiteralNode:
		p, err := parseDuration(strings.TrimSpace(n.Value.Value))
		if err != nil {
			return &nodeError{tok: tok, msg: err.Error()}
		}
		*d = p
		return nil
	case *ast.IntegerNode:
		p, err := millis(fmt.Sprint(n.Value))
		if err != nil {
			return &nodeError{tok: tok, msg: err.Error()}
		}
		*d = p
		return nil
	default:
		return &nodeError{tok: tok, msg: fmt.Sprintf("%s, got %s", durationForms, nodeNoun(node.Type()))}
	}
}

const durationForms = `expected a duration like "10s" or a number of milliseconds`

// parseDuration reads a Go duration string.
func parseDuration(s string) (Duration, error) {
	p, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %s", s, durationForms)
	}
	return Duration(p), nil
}

// millis reads a decimal integer number of milliseconds.
func millis(s string) (Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt64/int64(time.Millisecond) || n < math.MinInt64/int64(time.Millisecond) {
		return 0, fmt.Errorf("%s milliseconds is out of range", s)
	}
	return Duration(time.Duration(n) * time.Millisecond), nil
}

// nodeError is a decoding problem at a YAML token; Parse turns it into a positioned FieldError.
type nodeError struct {
	tok *token.Token
	msg string
}

func (e *nodeError) Error() string          { return e.msg }
func (e *nodeError) GetToken() *token.Token { return e.tok }
func (e *nodeError) GetMessage() string     { return e.msg }
