package engine

import (
	"bytes"
	"fmt"
	"mime"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// requestModels are a REST method's request models (JSON Schema draft 4, as API Gateway uses them)
// by content type, compiled once, checked when the method's request validator says
// validateRequestBody.
type requestModels map[string]*jsonschema.Schema

// compileRequestModels compiles each model of a method; path names the method in errors.
func compileRequestModels(models map[string]string, path string) (requestModels, error) {
	if len(models) == 0 {
		return nil, nil
	}
	out := make(requestModels, len(models))
	for _, ct := range sortedNames(models) {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(models[ct]))
		if err != nil {
			return nil, fmt.Errorf("requestModels[%q]: %w", ct, err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		url := "https://apigateway.amazonaws.com/" + path + "/models/" + ct
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("requestModels[%q]: %w", ct, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("requestModels[%q]: %w", ct, err)
		}
		out[strings.ToLower(ct)] = s
	}
	return out, nil
}

// validate checks body against the model of its Content-Type (application/json when the request
// has none, as API Gateway assumes). A content type without a model is not checked. It returns
// the validation errors, in API Gateway's $context.error.validationErrorString shape, or "".
func (m requestModels) validate(contentType string, body []byte) (string, bool) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "" {
		mt = "application/json"
	}
	s, ok := m[mt]
	if !ok {
		if s, ok = m["$default"]; !ok {
			return "", true
		}
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return `[Invalid JSON: ` + err.Error() + `]`, false
	}
	err = s.Validate(v)
	if err == nil {
		return "", true
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return "[" + err.Error() + "]", false
	}
	var msgs []string
	for _, leaf := range leaves(ve) {
		msgs = append(msgs, leaf.Error())
	}
	sort.Strings(msgs)
	return "[" + strings.Join(msgs, ", ") + "]", false
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}
