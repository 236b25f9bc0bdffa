package routeselect_test

import "strings"

// testSource is a Source backed by maps; header names match case-insensitively as HTTP's do.
type testSource struct {
	headers, query, params, context, stage map[string]string
	method, path                           string
}

func (s testSource) Header(name string) (string, bool) {
	for k, v := range s.headers {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

func (s testSource) QueryString(name string) (string, bool) {
	v, ok := s.query[name]
	return v, ok
}

func (s testSource) PathParameter(name string) (string, bool) {
	v, ok := s.params[name]
	return v, ok
}

func (s testSource) Method() string { return s.method }
func (s testSource) Path() string   { return s.path }

func (s testSource) Context(name string) (string, bool) {
	v, ok := s.context[name]
	return v, ok
}

func (s testSource) StageVariable(name string) (string, bool) {
	v, ok := s.stage[name]
	return v, ok
}

// integrationSource adds integration response values to testSource.
type integrationSource struct {
	testSource
	response map[string]string
}

func (s integrationSource) IntegrationResponse(name string) (string, bool) {
	v, ok := s.response[name]
	return v, ok
}

// sampleSource is the Source most tests use.
var sampleSource = testSource{
	headers: map[string]string{"x-api-key": "key-123", "Host": "abcdef1234.example.com"},
	query:   map[string]string{"token": "abc"},
	params:  map[string]string{"id": "7"},
	context: map[string]string{"authorizer.usageIdentifierKey": "usage-1", "connectionId": "R1kmxc2VNjMCFIA="},
	stage:   map[string]string{"color": "blue"},
	method:  "GET",
	path:    "/pets/7",
}
