package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestEveryConfigFieldIsDocumented walks the config structs' yaml names and checks that the
// README's configuration reference lists every field path.
func TestEveryConfigFieldIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	text := string(readme)
	start := strings.Index(text, "## Configuration reference")
	if start < 0 {
		t.Fatal("README has no Configuration reference section")
	}
	ref := text[start:]
	if end := strings.Index(ref[3:], "\n## "); end >= 0 {
		ref = ref[:end+3]
	}
	var missing []string
	var walk func(prefix string, typ reflect.Type, seen map[reflect.Type]bool)
	walk = func(prefix string, typ reflect.Type, seen map[reflect.Type]bool) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		defer delete(seen, typ)
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			path := prefix + name
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice && elemStruct(ft) {
				path += "[]"
				ft = ft.Elem()
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
			}
			if !strings.Contains(ref, "| `"+path+"` |") {
				missing = append(missing, path)
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == typ.PkgPath() && ft.Name() != "Duration" {
				walk(path+".", ft, seen)
			}
		}
	}
	walk("", reflect.TypeOf(Config{}), map[reflect.Type]bool{})
	if len(missing) > 0 {
		t.Fatalf("README's configuration reference lacks %d fields:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

func elemStruct(t reflect.Type) bool {
	e := t.Elem()
	for e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	return e.Kind() == reflect.Struct
}
