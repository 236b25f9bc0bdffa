package config

import "github.com/portico-gateway/portico/engine/integration"

// Protocol types of an API.
const (
	ProtocolWebSocket = integration.ProtocolWebSocket
	ProtocolHTTP      = integration.ProtocolHTTP
	ProtocolREST      = integration.ProtocolREST
)

// Integration types: the built-in ones of the registry (integration.Lookup).
const (
	IntegrationMock      = "MOCK"
	IntegrationNATS      = "NATS"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationHTTP      = "HTTP"
)

// HTTPRouteSelectionExpression is the route selection expression of every HTTP API, and its
// default there.
const HTTPRouteSelectionExpression = "${request.method} ${request.path}"

// API key sources of a REST API.
const (
	APIKeySourceHeader     = "HEADER"
	APIKeySourceAuthorizer = "AUTHORIZER"
)

// Passthrough behaviours of an integration that has templates.
const (
	PassthroughWhenNoMatch     = "WHEN_NO_MATCH"
	PassthroughNever           = "NEVER"
	PassthroughWhenNoTemplates = "WHEN_NO_TEMPLATES"
)

// API is one API definition: a WEBSOCKET or HTTP API in the apigatewayv2 resource model, or a
// REST API in the apigateway (v1) model as CloudFormation's AWS::ApiGateway::* spells it. Fields
// that belong to other protocol types are rejected by Validate.
type API struct {
	// APIID is the 10-character lowercase id clients use in Host. Zero value:
	// DeriveAPIID(Name).
	APIID string `yaml:"apiId,omitempty" json:"apiId,omitempty"`
	// Name names the API; unique within the config. Required.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// ProtocolType is WEBSOCKET, HTTP or REST. Required.
	ProtocolType string `yaml:"protocolType,omitempty" json:"protocolType,omitempty"`
	// RouteSelectionExpression picks the route key of each message or request (WEBSOCKET, HTTP).
	// Zero value for WEBSOCKET: "$request.body.action"; for HTTP it can only be
	// HTTPRouteSelectionExpression, which is also its zero value.
	RouteSelectionExpression string `yaml:"routeSelectionExpression,omitempty" json:"routeSelectionExpression,omitempty"`
	// APIKeySelectionExpression picks the API key of a request (WEBSOCKET). Zero value: no API
	// keys.
	APIKeySelectionExpression string `yaml:"apiKeySelectionExpression,omitempty" json:"apiKeySelectionExpression,omitempty"`
	// Description is free text. Zero value: none.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Authorizers are the API's authorizers (HTTP APIs: JWT). Zero value: none.
	Authorizers []Authorizer `yaml:"authorizers,omitempty" json:"authorizers,omitempty"`
	// Routes map route keys to integrations (WEBSOCKET, HTTP). Required (at least one) for
	// those types.
	Routes []Route `yaml:"routes,omitempty" json:"routes,omitempty"`
	// CORSConfiguration makes the gateway answer CORS preflight requests itself and add CORS
	// headers to responses (HTTP). Zero value (nil): no CORS handling.
	CORSConfiguration *CORS `yaml:"corsConfiguration,omitempty" json:"corsConfiguration,omitempty"`
	// APIKeySource says where a REST API's methods with apiKeyRequired find the API key:
	// HEADER (the x-api-key header) or AUTHORIZER (the authorizer's usageIdentifierKey).
	// Zero value for REST: HEADER.
	APIKeySource string `yaml:"apiKeySource,omitempty" json:"apiKeySource,omitempty"`
	// BinaryMediaTypes are the media types a REST API treats as binary, like image/png or */*.
	// Zero value: none.
	BinaryMediaTypes []string `yaml:"binaryMediaTypes,omitempty" json:"binaryMediaTypes,omitempty"`
	// Resources are a REST API's paths and their methods. Required (at least one) for REST.
	Resources []Resource `yaml:"resources,omitempty" json:"resources,omitempty"`
	// GatewayResponses customise the responses a REST API makes itself (errors such as
	// MISSING_AUTHENTICATION_TOKEN). Zero value: AWS's default responses.
	GatewayResponses []GatewayResponse `yaml:"gatewayResponses,omitempty" json:"gatewayResponses,omitempty"`
	// Stages are the stages the API is deployed to. Required (at least one) for WEBSOCKET and
	// REST. Zero value for HTTP: one stage named "$default", served without a path prefix, as
	// API Gateway's quick create makes it.
	Stages []Stage `yaml:"stages,omitempty" json:"stages,omitempty"`
}

// Route binds a route key to an integration.
type Route struct {
	// RouteKey is, for WEBSOCKET, the value the route selection expression must produce, or
	// $connect, $disconnect, $default; for HTTP, "METHOD /path" (METHOD one of GET, POST, PUT,
	// PATCH, DELETE, HEAD, OPTIONS, ANY; path variables {name}, a last {name+}) or $default.
	// Required; unique within the API.
	RouteKey string `yaml:"routeKey,omitempty" json:"routeKey,omitempty"`
	// RouteResponseSelectionExpression is "$default" for a two-way route whose integration
	// reply goes back to the client (WEBSOCKET). Zero value: one-way, the reply is dropped.
	RouteResponseSelectionExpression string `yaml:"routeResponseSelectionExpression,omitempty" json:"routeResponseSelectionExpression,omitempty"`
	// AuthorizationType is NONE or JWT (HTTP APIs). Zero value: NONE.
	AuthorizationType string `yaml:"authorizationType,omitempty" json:"authorizationType,omitempty"`
	// AuthorizerID names the route's authorizer by name or authorizerId. Required for JWT.
	AuthorizerID string `yaml:"authorizerId,omitempty" json:"authorizerId,omitempty"`
	// AuthorizationScopes: with a JWT authorizer, the token's scope (or scp) must hold one of
	// them. Zero value: no scope is needed.
	AuthorizationScopes []string `yaml:"authorizationScopes,omitempty" json:"authorizationScopes,omitempty"`
	// Integration is the backend the route invokes. Required.
	Integration Integration `yaml:"integration,omitempty" json:"integration,omitempty"`
}

// Integration is the backend a route invokes.
type Integration struct {
	// IntegrationType is MOCK, NATS, HTTP_PROXY or HTTP; HTTP APIs have no HTTP type (it needs
	// mapping templates). Required.
	IntegrationType string `yaml:"integrationType,omitempty" json:"integrationType,omitempty"`
	// IntegrationURI is the NATS subject (NATS) or the http(s) URL (HTTP, HTTP_PROXY), which may
	// hold ${stageVariables.name} and, in HTTP APIs, path variables like {proxy}.
	// Required except for MOCK, where it must be empty.
	IntegrationURI string `yaml:"integrationUri,omitempty" json:"integrationUri,omitempty"`
	// IntegrationMethod is the HTTP method of HTTP and HTTP_PROXY integrations; ANY (HTTP APIs
	// only) means the request's method. Zero value: POST in WEBSOCKET APIs, ANY in HTTP APIs,
	// unused for other types.
	IntegrationMethod string `yaml:"integrationMethod,omitempty" json:"integrationMethod,omitempty"`
	// TimeoutInMillis bounds one invocation, 50 to 29000 (WEBSOCKET) or 30000 (HTTP).
	// Zero value: the maximum.
	TimeoutInMillis int `yaml:"timeoutInMillis,omitempty" json:"timeoutInMillis,omitempty"`
	// Templates are request mapping templates by template selection key (WEBSOCKET). Zero
	// value: none, the request passes through.
	Templates map[string]string `yaml:"templates,omitempty" json:"templates,omitempty"`
	// TemplateSelectionExpression picks the template key (WEBSOCKET). Zero value: "$default"
	// is used.
	TemplateSelectionExpression string `yaml:"templateSelectionExpression,omitempty" json:"templateSelectionExpression,omitempty"`
	// RequestParameters change the integration request. In WEBSOCKET APIs they map integration
	// request parameters (integration.request.header.X) to sources (context.connectionId,
	// 'literal', route.request.header.Y, ...). In HTTP APIs they are parameter mappings: keys
	// "overwrite:header.X", "append:querystring.y", "remove:header.z", "overwrite:path", values
	// like $request.header.a, $context.requestId, $stageVariables.x or static text.
	// Zero value: none.
	RequestParameters map[string]string `yaml:"requestParameters,omitempty" json:"requestParameters,omitempty"`
	// ResponseParameters are an HTTP API's response parameter mappings by the backend's status
	// code: {"500": {"overwrite:statuscode": "503", "append:header.X": "$response.header.Y"}}, with
	// values $response.header.x, $response.body.x, $context.x, $stageVariables.x or static text
	// (HTTP_PROXY integrations of HTTP APIs). Zero value: none.
	ResponseParameters map[string]map[string]string `yaml:"responseParameters,omitempty" json:"responseParameters,omitempty"`
	// PassthroughBehavior is WHEN_NO_MATCH, NEVER or WHEN_NO_TEMPLATES (WEBSOCKET).
	// Zero value: WHEN_NO_MATCH.
	PassthroughBehavior string `yaml:"passthroughBehavior,omitempty" json:"passthroughBehavior,omitempty"`
	// PayloadFormatVersion is "1.0" or "2.0", the shape of the event a NATS integration gets;
	// HTTP_PROXY integrations of HTTP APIs only take "1.0". Zero value: "1.0" in WEBSOCKET
	// APIs; in HTTP APIs "1.0" for HTTP_PROXY and "2.0" otherwise.
	PayloadFormatVersion string `yaml:"payloadFormatVersion,omitempty" json:"payloadFormatVersion,omitempty"`
}

// Stage is one stage an API is deployed to; clients name it in the URL path.
type Stage struct {
	// StageName is up to 128 letters, digits, '-' and '_', or "$default" (WEBSOCKET, HTTP; an
	// HTTP API's $default stage is served without a path prefix). Required; unique within the
	// API.
	StageName string `yaml:"stageName,omitempty" json:"stageName,omitempty"`
	// StageVariables are name-value pairs templates and integrations can read (WEBSOCKET,
	// HTTP). Zero value: none.
	StageVariables map[string]string `yaml:"stageVariables,omitempty" json:"stageVariables,omitempty"`
	// Variables are the stage variables of a REST stage, as CloudFormation spells them there.
	// Zero value: none.
	Variables map[string]string `yaml:"variables,omitempty" json:"variables,omitempty"`
	// Description is free text. Zero value: none.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// AccessLogSettings turn on the stage's access log: one line per request, message, connect and
	// disconnect, in Format, written to the node's log (logger "access"). Zero value: no stage
	// access log (node.accessLog still logs HTTP and REST requests in Portico's own fields).
	AccessLogSettings *AccessLogSettings `yaml:"accessLogSettings,omitempty" json:"accessLogSettings,omitempty"`
}

// AccessLogSettings is a stage's access log format, as API Gateway spells it.
type AccessLogSettings struct {
	// Format is the line, with $context variables ($context.requestId, $context.status, ...)
	// substituted; a variable without a value prints "-". Required.
	Format string `yaml:"format,omitempty" json:"format,omitempty"`
	// DestinationArn names a CloudWatch Logs group in API Gateway; Portico writes to its own log,
	// so it must be empty.
	DestinationArn string `yaml:"destinationArn,omitempty" json:"destinationArn,omitempty"`
}

// ID returns the API's id: APIID, or DeriveAPIID(Name) when APIID is empty.
func (a *API) ID() string {
	if a.APIID != "" {
		return a.APIID
	}
	return DeriveAPIID(a.Name)
}
