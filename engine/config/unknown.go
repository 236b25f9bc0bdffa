package config

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// maxDepth bounds the walks over a document so aliases cannot make them loop.
const maxDepth = 64

// unknownFields walks a document against the Go type it decodes into and returns every key that
// names no field, in document order. The decoder stops at the first unknown key (and which one it
// finds first is not fixed); this walk lets one run report all of them.
func (ix *indexer) unknownFields(n ast.Node, t reflect.Type, path string, depth int) []FieldError {
	if n == nil || depth > maxDepth {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n = follow(ix.anchors, n)
	var out []FieldError
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeOf(Duration(0)) {
			return nil
		}
		fields := yamlFields(t)
		for _, mv := range entries(n) {
			if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
				out = append(out, ix.unknownFields(mv.Value, t, path, depth+1)...)
				continue
			}
			key := keyText(mv.Key)
			p := keyPath(path, key)
			ft, ok := fields[key]
			if !ok {
				out = append(out, FieldError{Path: p, Msg: `unknown field "` + key + `"`, Pos: ix.at(mv.Key.GetToken())})
				continue
			}
			out = append(out, ix.unknownFields(mv.Value, ft, p, depth+1)...)
		}
	case reflect.Map:
		for _, mv := range entries(n) {
			if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
				out = append(out, ix.unknownFields(mv.Value, t, path, depth+1)...)
				continue
			}
			out = append(out, ix.unknownFields(mv.Value, t.Elem(), keyPath(path, keyText(mv.Key)), depth+1)...)
		}
	case reflect.Slice:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for i, item := range seq.Values {
				out = append(out, ix.unknownFields(item, t.Elem(), path+"["+strconv.Itoa(i)+"]", depth+1)...)
			}
		}
	}
	return out
}

// entries returns the key-value pairs of a mapping node, nil for anything else.
func entries(n ast.Node) []*ast.MappingValueNode {
	var out []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		out = v.Values
	case *ast.MappingValueNode:
		out = []*ast.MappingValueNode{v}
	}
	kept := out[:0:0]
	for _, mv := range out {
		if mv != nil && mv.Key != nil {
			kept = append(kept, mv)
		}
	}
	return kept
}

// yamlFields maps the YAML names of a struct's fields to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}
