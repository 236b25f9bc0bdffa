package routeselect

// Source supplies the non-body values an expression may reference. Any method may return
// "", false. Names are passed exactly as written in the expression; a Source whose keys are
// case-insensitive (HTTP headers) folds case itself.
type Source interface {
	Header(name string) (string, bool)
	QueryString(name string) (string, bool)
	PathParameter(name string) (string, bool)
	// Method returns the HTTP method; "" means unknown.
	Method() string
	// Path returns the request path; "" means unknown.
	Path() string
	// Context returns a context value; name is what follows "context."
	// (for example "authorizer.usageIdentifierKey").
	Context(name string) (string, bool)
	StageVariable(name string) (string, bool)
}

// IntegrationResponseSource is an optional extension of Source, found by type assertion,
// that supplies $integration.response.<name> values for integration response selection
// (for example ${integration.response.statuscode}). A Source without it leaves those
// variables missing.
type IntegrationResponseSource interface {
	IntegrationResponse(name string) (string, bool)
}
