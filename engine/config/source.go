package config

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// position is a line and column in a config file, both from 1.
type position struct{ line, col int }

// source maps the field paths of a parsed file to where they are written: a mapping entry to its
// key, a sequence item to its first token. It is built once by Parse and only read afterwards.
type source struct {
	file string
	pos  map[string]position
}

// Locate returns "file:line:col" for a field path like
// "apis[0].routes[2].integration.integrationUri", falling back to the nearest parent that is
// written in the file (a missing field points at the key of the mapping it is missing from, or
// at the list item). It returns "" for a config built in code. Map keys that are not plain words
// may be written quoted, `stageVariables["a.b"]`, or plain, `stageVariables.a.b`.
func (c *Config) Locate(path string) string {
	if c == nil || c.src == nil {
		return ""
	}
	for _, p := range prefixes(path) {
		if pos, ok := c.src.pos[p]; ok {
			return c.src.format(pos)
		}
	}
	return c.src.format(position{line: 1, col: 1})
}

func (s *source) format(p position) string {
	if s.file == "" {
		return fmt.Sprintf("%d:%d", p.line, p.col)
	}
	return fmt.Sprintf("%s:%d:%d", s.file, p.line, p.col)
}

// prefixes returns path and its parents, longest first, ending with the root "".
func prefixes(path string) []string {
	out := []string{path}
	var ends []int
	for i := 0; i < len(path); {
		switch path[i] {
		case '.':
			i++
			continue
		case '[':
			j := i + 1
			if j < len(path) && path[j] == '"' {
				q, err := strconv.QuotedPrefix(path[j:])
				if err != nil {
					return append(out, "")
				}
				j += len(q)
			}
			k := strings.IndexByte(path[j:], ']')
			if k < 0 {
				return append(out, "")
			}
			i = j + k + 1
		default:
			k := strings.IndexAny(path[i:], ".[")
			if k < 0 {
				i = len(path)
			} else {
				i += k
			}
		}
		ends = append(ends, i)
	}
	for n := len(ends) - 2; n >= 0; n-- {
		out = append(out, path[:ends[n]])
	}
	return append(out, "")
}

// keyPath appends a map key to a path: ".key" for a plain word, `["key"]` otherwise.
func keyPath(path, key string) string {
	if plainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// plainKey reports whether a key can be written in a path without quotes.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$') {
			return false
		}
	}
	return true
}

// indexer walks a parsed document once, recording where each path is written, which path each
// key and value token belongs to (to name the field of a decoding error) and the anchors.
type indexer struct {
	src     *source
	byKey   map[*token.Token]string
	byValue map[*token.Token]string
	anchors map[string]ast.Node
}

func newIndexer(file string) *indexer {
	return &indexer{
		src:     &source{file: file, pos: map[string]position{}},
		byKey:   map[*token.Token]string{},
		byValue: map[*token.Token]string{},
		anchors: map[string]ast.Node{},
	}
}

func (ix *indexer) set(path string, tok *token.Token) {
	if tok == nil || tok.Position == nil {
		return
	}
	if _, ok := ix.src.pos[path]; !ok {
		ix.src.pos[path] = position{line: tok.Position.Line, col: tok.Position.Column}
	}
}

func (ix *indexer) value(path string, n ast.Node) {
	if n == nil {
		return
	}
	if tok := n.GetToken(); tok != nil {
		if _, ok := ix.byValue[tok]; !ok {
			ix.byValue[tok] = path
		}
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if v.Name != nil {
			ix.anchors[v.Name.GetToken().Value] = v.Value
		}
		ix.value(path, v.Value)
	case *ast.TagNode:
		ix.value(path, v.Value)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			ix.entry(path, mv)
		}
	case *ast.MappingValueNode:
		ix.entry(path, v)
	case *ast.SequenceNode:
		for i, item := range v.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			ix.set(p, start(item))
			ix.value(p, item)
		}
	}
}

func (ix *indexer) entry(path string, mv *ast.MappingValueNode) {
	if mv == nil || mv.Key == nil {
		return
	}
	if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
		ix.value(path, mv.Value)
		return
	}
	key := keyText(mv.Key)
	p := keyPath(path, key)
	tok := mv.Key.GetToken()
	ix.set(p, tok)
	if !plainKey(key) {
		// Also findable by the unquoted form callers are likely to write.
		ix.set(joinPlain(path, key), tok)
	}
	if tok != nil {
		ix.byKey[tok] = p
	}
	ix.value(p, mv.Value)
}

func joinPlain(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyText returns the text of a mapping key.
func keyText(k ast.MapKeyNode) string {
	var n ast.Node = k
	if mk, ok := k.(*ast.MappingKeyNode); ok && mk.Value != nil {
		n = mk.Value
	}
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value
	}
	if tok := n.GetToken(); tok != nil {
		return tok.Value
	}
	return n.String()
}

// start returns the first token of a node as a reader sees it: a block mapping's first key
// rather than its first ':'.
func start(n ast.Node) *token.Token {
	switch v := n.(type) {
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 && v.Values[0].Key != nil {
			return v.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			return v.Key.GetToken()
		}
	}
	return n.GetToken()
}

// positioned is a decoding error that knows the token it is about; goccy's errors are, and so is
// nodeError.
type positioned interface {
	GetToken() *token.Token
	GetMessage() string
}

// at returns "file:line:col" of a token, or of the file's start when the token has none.
func (ix *indexer) at(tok *token.Token) string {
	if tok == nil || tok.Position == nil {
		return ix.src.format(position{line: 1, col: 1})
	}
	return ix.src.format(position{line: tok.Position.Line, col: tok.Position.Column})
}

// fieldError turns a parse or decode error into a FieldError positioned at its token, naming the
// field the token belongs to: by key first for an unknown field, by value first otherwise.
func (ix *indexer) fieldError(err error, unknownField bool) FieldError {
	fe := FieldError{Msg: message(err)}
	var p positioned
	if !errors.As(err, &p) {
		fe.Pos = ix.at(nil)
		return fe
	}
	tok := p.GetToken()
	fe.Pos = ix.at(tok)
	first, second := ix.byValue, ix.byKey
	if unknownField {
		first, second = ix.byKey, ix.byValue
	}
	if path, ok := first[tok]; ok {
		fe.Path = path
	} else if path, ok := second[tok]; ok {
		fe.Path = path
	}
	return fe
}

// anchorsKey is the context key under which Parse hands the document's anchors to decoders.
type anchorsKey struct{}

// resolve unwraps anchors and tags and follows aliases, using the anchors Parse put in ctx.
func resolve(ctx context.Context, n ast.Node) ast.Node {
	anchors, _ := ctx.Value(anchorsKey{}).(map[string]ast.Node)
	return follow(anchors, n)
}

// follow unwraps anchors and tags and follows aliases to their anchored node. An alias it cannot
// follow is returned as is.
func follow(anchors map[string]ast.Node, n ast.Node) ast.Node {
	for hops := 0; hops < maxDepth && n != nil; hops++ {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil {
				return n
			}
			target, ok := anchors[v.Value.GetToken().Value]
			if !ok {
				return n
			}
			n = target
		default:
			return n
		}
	}
	return n
}
