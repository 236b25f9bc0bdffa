package mapping

// Vars supplies request values to a template. Implementations are usually a pointer to the engine's
// per-request struct, so calling through the interface does not allocate.
//
// The values returned are read only while Render runs and are not retained.
//
// A Vars may also implement ParamLister, StageVariableLister and Overrides; Render finds them by type
// assertion.
type Vars interface {
	// Body returns the request (or integration response) body.
	Body() []byte
	// Context returns $context.<name>; name is the part after "context.", such as "identity.sourceIp".
	Context(name string) (string, bool)
	// StageVariable returns $stageVariables.<name>.
	StageVariable(name string) (string, bool)
	// Param returns $input.params('name'): path parameter, else query string, else header.
	Param(name string) (string, bool)
}

// ParamLister gives $input.params() (without a name) its maps: {path: {...}, querystring: {...},
// header: {...}}, as the console's "Method Request passthrough" template walks them. Without it those
// maps are empty.
type ParamLister interface {
	// ParamAt returns the i-th parameter (from 0) of location "path", "querystring" or "header", in
	// the order templates see them; ok is false past the last one.
	ParamAt(location string, i int) (name, value string, ok bool)
}

// StageVariableLister lets templates walk $stageVariables as a map ($stageVariables.keySet(),
// entrySet(), printing it). Without it the map is empty; $stageVariables.x still works.
type StageVariableLister interface {
	// StageVariableAt returns the i-th stage variable (from 0); ok is false past the last one.
	StageVariableAt(i int) (name, value string, ok bool)
}

// Overrides receives what a template assigns to $context.requestOverride.header.<name>,
// .querystring.<name>, .path.<name>, $context.responseOverride.status and
// $context.responseOverride.header.<name>. Render calls SetOverride once per assignment, in template
// order, after the whole template rendered without error (API Gateway applies overrides after the
// template). A list value ([$a, $b]) gives several values (a multi-value header); other values are
// given as their string. Setting one name twice fails the render, as it fails the request in API
// Gateway. An error from SetOverride fails the render. The strings are valid only during the call.
type Overrides interface {
	// SetOverride receives name without "context.", as in "responseOverride.status".
	SetOverride(name string, values []string) error
}
