package mapping

// testVars is the Vars the tests render with.
type testVars struct {
	body    []byte
	context map[string]string
	stage   map[string]string
	params  map[string]string
}

func (v *testVars) Body() []byte { return v.body }

func (v *testVars) Context(name string) (string, bool) {
	s, ok := v.context[name]
	return s, ok
}

func (v *testVars) StageVariable(name string) (string, bool) {
	s, ok := v.stage[name]
	return s, ok
}

func (v *testVars) Param(name string) (string, bool) {
	s, ok := v.params[name]
	return s, ok
}

var _ Vars = (*testVars)(nil)

// newTestVars returns the request every table test renders against, with the given body.
func newTestVars(body string) *testVars {
	return &testVars{
		body: []byte(body),
		context: map[string]string{
			"requestId":              "R1knPH17NjMFftw=",
			"connectionId":           "R1kmxc2VNjMCFIA=",
			"routeKey":               "sendmessage",
			"stage":                  "prod",
			"identity.sourceIp":      "203.0.113.7",
			"authorizer.principalId": "user-1",
			"empty":                  "",
			"quote":                  `it's "x"/y`,
		},
		stage:  map[string]string{"color": "blue", "url": "http://example.com/a b"},
		params: map[string]string{"petId": "42", "q": "a b&c"},
	}
}
