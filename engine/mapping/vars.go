package mapping

// Vars supplies request values to a template. Implementations are usually a pointer to the engine's
// per-request struct, so calling through the interface does not allocate.
//
// The values returned are read only while Render runs and are not retained.
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
