package config

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads the config file at path and parses it with Parse. A file that cannot be read gives
// the *os.PathError ("open FILE: no such file or directory").
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a config from YAML or JSON text, rejecting unknown fields, applies the defaults
// and validates the result. file names the text in positions. Every problem comes back in one
// *Errors, each as "file:line:col: path: message": unknown fields first, in file order, then what
// Validate finds in the rest of the file (an unknown field hides no other problem). A syntax or
// type error stops there, since validating a half-decoded config would report fields as missing
// that are written.
func Parse(file string, data []byte) (*Config, error) {
	c := &Config{File: file}
	ix := newIndexer(file)
	c.src = ix.src
	es, complete := decode(c, ix, data)
	if !complete {
		return nil, &es
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		var more Errors
		if !errors.As(err, &more) {
			return nil, err
		}
		es = append(es, more...)
	}
	if len(es) > 0 {
		return nil, &es
	}
	return c, nil
}

// decode parses data into c, indexing positions on the way. It returns the unknown fields it found
// and whether c holds everything else the file says (false after a syntax or type error, with that
// error in the list).
func decode(c *Config, ix *indexer, data []byte) (Errors, bool) {
	var f *ast.File
	err := safely(func() (err error) {
		f, err = parser.ParseBytes(jsonTabs(data), 0)
		return err
	})
	if err != nil {
		return Errors{ix.fieldError(err, false)}, false
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			return Errors{{Pos: ix.at(start(doc.Body)), Msg: "more than one YAML document; a config file holds one"}}, false
		}
		body = doc.Body
	}
	if body == nil {
		return nil, true
	}
	ix.set("", start(body))
	ix.value("", body)
	es := Errors(ix.unknownFields(body, reflect.TypeOf(*c), "", 0))
	ctx := context.WithValue(context.Background(), anchorsKey{}, ix.anchors)
	strict := len(es) == 0
	opts := []yaml.DecodeOption{}
	if strict {
		opts = append(opts, yaml.Strict())
	}
	// With unknown fields already listed, the decoder skips them, so the rest of the file is decoded
	// and validated too.
	dec := yaml.NewDecoder(bytes.NewReader(nil), opts...)
	if err := safely(func() error { return dec.DecodeFromNodeContext(ctx, body, c) }); err != nil {
		var unknown *yaml.UnknownFieldError
		if errors.As(err, &unknown) {
			// An unknown field the walk could not see (behind an alias it cannot follow).
			return append(es, ix.fieldError(err, true)), false
		}
		return append(es, ix.fieldError(err, false)), false
	}
	return es, true
}

// safely runs a call into the YAML library, which is third-party code fed with file contents:
// a panic in it comes out as a bad-config error instead of taking the process down.
func safely(call func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse: %v", r)
		}
	}()
	return call()
}

// jsonTabs makes valid JSON indented with tabs readable as YAML, which forbids tabs as
// indentation. Valid JSON has no raw tab inside strings, so every tab is whitespace and becomes
// one space, which keeps every column where it was.
func jsonTabs(data []byte) []byte {
	if !bytes.ContainsRune(data, '\t') || !json.Valid(data) {
		return data
	}
	return bytes.ReplaceAll(data, []byte{'\t'}, []byte{' '})
}

// message words a decoding error for a config author, without Go type names.
func message(err error) string {
	var (
		typeErr  *yaml.TypeError
		nodeErr  *yaml.UnexpectedNodeTypeError
		overflow *yaml.OverflowError
		pos      positioned
	)
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("expected %s, got %s", describeType(typeErr.DstType), describeType(typeErr.SrcType))
	case errors.As(err, &nodeErr):
		return fmt.Sprintf("expected %s, got %s", nodeNoun(nodeErr.Expected), nodeNoun(nodeErr.Actual))
	case errors.As(err, &overflow):
		return fmt.Sprintf("%s is out of range for %s", overflow.SrcNum, describeType(overflow.DstType))
	case errors.As(err, &pos):
		return pos.GetMessage()
	default:
		return err.Error()
	}
}

// describeType names a Go type the way the config file spells values.
func describeType(t reflect.Type) string {
	if t == nil {
		return "null"
	}
	if t == reflect.TypeOf(Duration(0)) {
		return `a duration like "10s" or a number of milliseconds`
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a sequence"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	default:
		return article(t.String())
	}
}

// nodeNoun names a YAML node type for a config author.
func nodeNoun(t ast.NodeType) string {
	switch t {
	case ast.IntegerType:
		return "an integer"
	case ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number"
	case ast.LiteralType:
		return "a string"
	case ast.NullType:
		return "null"
	}
	return article(t.YAMLName())
}

// article prefixes a noun with "a" or "an".
func article(noun string) string {
	if noun == "" {
		return "nothing"
	}
	switch noun[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + noun
	}
	return "a " + noun
}
