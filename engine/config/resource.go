package config

// Resource is one path of a REST API with the methods it answers. Parent paths need not be
// listed: /pets/{petId} may be the only resource.
type Resource struct {
	// Path is the full resource path: "/" or "/"-separated segments, each literal (letters,
	// digits, '.', '_', '-'), a path parameter {name}, or, last, a greedy {name+}. Required;
	// unique within the API; a path has at most one variable child (no /pets/{id} next to
	// /pets/{petId}).
	Path string `yaml:"path,omitempty" json:"path,omitempty"`
	// Methods are the HTTP methods the resource answers. Required (at least one).
	Methods []Method `yaml:"methods,omitempty" json:"methods,omitempty"`
}

// Method is one HTTP method of a REST resource and its integration.
type Method struct {
	// HTTPMethod is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY (every method the
	// resource has no own method for). Required; unique within the resource.
	HTTPMethod string `yaml:"httpMethod,omitempty" json:"httpMethod,omitempty"`
	// APIKeyRequired makes callers present an API key (see API.APIKeySource).
	// Zero value: false.
	APIKeyRequired bool `yaml:"apiKeyRequired,omitempty" json:"apiKeyRequired,omitempty"`
	// RequestParameters declare the method's request parameters,
	// method.request.{path|querystring|header}.NAME, each mapped to whether it is required.
	// Integrations may map only declared parameters (and the resource path's parameters).
	// Zero value: none.
	RequestParameters map[string]bool `yaml:"requestParameters,omitempty" json:"requestParameters,omitempty"`
	// RequestValidator says what to check against RequestParameters and RequestModels before
	// the integration is called. Zero value (nil): nothing is checked.
	RequestValidator *RequestValidator `yaml:"requestValidator,omitempty" json:"requestValidator,omitempty"`
	// RequestModels are JSON Schema (draft 4) texts by content type, for body validation.
	// Zero value: none.
	RequestModels map[string]string `yaml:"requestModels,omitempty" json:"requestModels,omitempty"`
	// MethodResponses are the status codes the method answers with and the headers each may
	// carry. Zero value: any status code, any header.
	MethodResponses []MethodResponse `yaml:"methodResponses,omitempty" json:"methodResponses,omitempty"`
	// Integration is the backend the method invokes. Required.
	Integration MethodIntegration `yaml:"integration,omitempty" json:"integration,omitempty"`
}

// RequestValidator chooses which parts of a REST request are validated.
type RequestValidator struct {
	// ValidateRequestParameters checks that required request parameters are present.
	// Zero value: false.
	ValidateRequestParameters bool `yaml:"validateRequestParameters,omitempty" json:"validateRequestParameters,omitempty"`
	// ValidateRequestBody checks the body against the method's request model for its content
	// type. Zero value: false.
	ValidateRequestBody bool `yaml:"validateRequestBody,omitempty" json:"validateRequestBody,omitempty"`
}

// MethodResponse declares one status code a REST method answers with.
type MethodResponse struct {
	// StatusCode is a 3-digit HTTP status code, 100 to 599. Required; unique within the method.
	StatusCode string `yaml:"statusCode,omitempty" json:"statusCode,omitempty"`
	// ResponseParameters declare the headers the response may carry,
	// method.response.header.NAME, each mapped to whether it is required. Zero value: none.
	ResponseParameters map[string]bool `yaml:"responseParameters,omitempty" json:"responseParameters,omitempty"`
}

// MethodIntegration is the backend a REST method invokes.
type MethodIntegration struct {
	// Type is MOCK, HTTP (with mapping templates), HTTP_PROXY, or NATS (the Lambda proxy
	// integration over NATS request-reply, payload format 1.0). Required.
	Type string `yaml:"type,omitempty" json:"type,omitempty"`
	// URI is the http(s) URL (HTTP, HTTP_PROXY; it may hold path parameters like {petId} and
	// ${stageVariables.name}) or the NATS subject (NATS). Required except for MOCK, where it must
	// be empty.
	URI string `yaml:"uri,omitempty" json:"uri,omitempty"`
	// HTTPMethod is the backend's method for HTTP and HTTP_PROXY: GET, POST, PUT, PATCH, DELETE,
	// HEAD, OPTIONS, or ANY for the request's method. Zero value for those types: the method's
	// HTTPMethod.
	HTTPMethod string `yaml:"httpMethod,omitempty" json:"httpMethod,omitempty"`
	// TimeoutInMillis bounds one invocation, 50 to 29000. Zero value: 29000.
	TimeoutInMillis int `yaml:"timeoutInMillis,omitempty" json:"timeoutInMillis,omitempty"`
	// PassthroughBehavior says what happens to a body whose content type has no request
	// template: WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER. Zero value: WHEN_NO_MATCH.
	PassthroughBehavior string `yaml:"passthroughBehavior,omitempty" json:"passthroughBehavior,omitempty"`
	// RequestTemplates are request mapping templates by content type (MOCK, HTTP).
	// Zero value: none.
	RequestTemplates map[string]string `yaml:"requestTemplates,omitempty" json:"requestTemplates,omitempty"`
	// RequestParameters map integration request parameters,
	// integration.request.{path|querystring|header}.NAME, to sources:
	// method.request.{path|querystring|header}.NAME, method.request.body[.JSONPath],
	// context.NAME, stageVariables.NAME or a 'quoted literal'. Zero value: none.
	RequestParameters map[string]string `yaml:"requestParameters,omitempty" json:"requestParameters,omitempty"`
	// IntegrationResponses map backend results to method responses (MOCK, HTTP). Zero value:
	// none, the backend's answer passes through with its status.
	IntegrationResponses []IntegrationResponse `yaml:"integrationResponses,omitempty" json:"integrationResponses,omitempty"`
}

// IntegrationResponse maps backend results that match SelectionPattern to a method response.
type IntegrationResponse struct {
	// StatusCode is the method response's status code, 3 digits, 100 to 599; it must be one of
	// the method's MethodResponses when those are given. Required; unique within the
	// integration.
	StatusCode string `yaml:"statusCode,omitempty" json:"statusCode,omitempty"`
	// SelectionPattern is a regular expression (Go syntax) that must match the whole backend
	// status code (HTTP) or error message. Zero value: the default response, used when no other
	// pattern matches. Unique within the integration.
	SelectionPattern string `yaml:"selectionPattern,omitempty" json:"selectionPattern,omitempty"`
	// ResponseTemplates are response mapping templates by content type. Zero value: none, the
	// body passes through.
	ResponseTemplates map[string]string `yaml:"responseTemplates,omitempty" json:"responseTemplates,omitempty"`
	// ResponseParameters map method response headers, method.response.header.NAME, to sources:
	// integration.response.header.NAME, integration.response.body[.JSONPath] or a 'quoted
	// literal'. Zero value: none.
	ResponseParameters map[string]string `yaml:"responseParameters,omitempty" json:"responseParameters,omitempty"`
}
