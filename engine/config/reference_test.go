package config

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// configPaths lists the path of every field a config file may hold, "apis[].routes[].routeKey"
// style, by walking the yaml tags of the config structs.
func configPaths(t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeOf(Duration(0)) {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		p := name
		if prefix != "" {
			p = prefix + "." + name
		}
		out[p] = true
		configPaths(f.Type, p, out)
	}
}

func TestEveryConfigFieldIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "\n## Configuration reference\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Configuration reference" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(section, -1) {
		documented[m[1]] = true
	}
	fields := map[string]bool{}
	configPaths(reflect.TypeOf(Config{}), "", fields)

	var missing, stale []string
	for p := range fields {
		if !documented[p] {
			missing = append(missing, p)
		}
	}
	for p := range documented {
		if !fields[p] {
			stale = append(stale, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("config fields missing from README.md's configuration reference (add a row \"| `path` | meaning |\"):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("README.md's configuration reference documents fields the config does not have:\n  %s", strings.Join(stale, "\n  "))
	}
}
