package config

// Protocol types of an API.
const (
	ProtocolWebSocket = "WEBSOCKET"
	ProtocolHTTP      = "HTTP"
	ProtocolREST      = "REST"
)

// Integration types.
const (
	IntegrationMock      = "MOCK"
	IntegrationNATS      = "NATS"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationHTTP      = "HTTP"
)

// Passthrough behaviours of an integration that has templates.
const (
	PassthroughWhenNoMatch     = "WHEN_NO_MATCH"
	PassthroughNever           = "NEVER"
	PassthroughWhenNoTemplates = "WHEN_NO_TEMPLATES"
)

// API is one API definition in the apigatewayv2 resource model.
type API struct {
	// APIID is the 10-character lowercase id clients use in Host. Zero value:
	// DeriveAPIID(Name).
	APIID string `yaml:"apiId,omitempty" json:"apiId,omitempty"`
	// Name names the API; unique within the config. Required.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// ProtocolType is WEBSOCKET, HTTP or REST. Required; only WEBSOCKET is supported so far.
	ProtocolType string `yaml:"protocolType,omitempty" json:"protocolType,omitempty"`
	// RouteSelectionExpression picks the route key of each message. Zero value for WEBSOCKET:
	// "$request.body.action".
	RouteSelectionExpression string `yaml:"routeSelectionExpression,omitempty" json:"routeSelectionExpression,omitempty"`
	// APIKeySelectionExpression picks the API key of a request. Zero value: no API keys.
	APIKeySelectionExpression string `yaml:"apiKeySelectionExpression,omitempty" json:"apiKeySelectionExpression,omitempty"`
	// Description is free text. Zero value: none.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Routes map route keys to integrations. Required (at least one) for WEBSOCKET.
	Routes []Route `yaml:"routes,omitempty" json:"routes,omitempty"`
	// Stages are the stages the API is deployed to. Required (at least one) for WEBSOCKET.
	Stages []Stage `yaml:"stages,omitempty" json:"stages,omitempty"`
}

// Route binds a route key to an integration.
type Route struct {
	// RouteKey is the value the route selection expression must produce, or $connect,
	// $disconnect, $default. Required; unique within the API.
	RouteKey string `yaml:"routeKey,omitempty" json:"routeKey,omitempty"`
	// RouteResponseSelectionExpression is "$default" for a two-way route whose integration
	// reply goes back to the client. Zero value: one-way, the reply is dropped.
	RouteResponseSelectionExpression string `yaml:"routeResponseSelectionExpression,omitempty" json:"routeResponseSelectionExpression,omitempty"`
	// Integration is the backend the route invokes. Required.
	Integration Integration `yaml:"integration,omitempty" json:"integration,omitempty"`
}

// Integration is the backend a route invokes.
type Integration struct {
	// IntegrationType is MOCK, NATS, HTTP_PROXY or HTTP. Required.
	IntegrationType string `yaml:"integrationType,omitempty" json:"integrationType,omitempty"`
	// IntegrationURI is the NATS subject (NATS) or the http(s) URL (HTTP, HTTP_PROXY).
	// Required except for MOCK, where it must be empty.
	IntegrationURI string `yaml:"integrationUri,omitempty" json:"integrationUri,omitempty"`
	// IntegrationMethod is the HTTP method of HTTP and HTTP_PROXY integrations.
	// Zero value: POST for those types, unused otherwise.
	IntegrationMethod string `yaml:"integrationMethod,omitempty" json:"integrationMethod,omitempty"`
	// TimeoutInMillis bounds one invocation, 50 to 29000. Zero value: 29000.
	TimeoutInMillis int `yaml:"timeoutInMillis,omitempty" json:"timeoutInMillis,omitempty"`
	// Templates are request mapping templates by template selection key. Zero value: none,
	// the request passes through.
	Templates map[string]string `yaml:"templates,omitempty" json:"templates,omitempty"`
	// TemplateSelectionExpression picks the template key. Zero value: "$default" is used.
	TemplateSelectionExpression string `yaml:"templateSelectionExpression,omitempty" json:"templateSelectionExpression,omitempty"`
	// RequestParameters map integration request parameters (integration.request.header.X) to
	// sources (context.connectionId, 'literal', route.request.header.Y, ...). Zero value: none.
	RequestParameters map[string]string `yaml:"requestParameters,omitempty" json:"requestParameters,omitempty"`
	// PassthroughBehavior is WHEN_NO_MATCH, NEVER or WHEN_NO_TEMPLATES.
	// Zero value: WHEN_NO_MATCH.
	PassthroughBehavior string `yaml:"passthroughBehavior,omitempty" json:"passthroughBehavior,omitempty"`
	// PayloadFormatVersion is "1.0" or "2.0". Zero value: the protocol's default ("1.0" for
	// WEBSOCKET).
	PayloadFormatVersion string `yaml:"payloadFormatVersion,omitempty" json:"payloadFormatVersion,omitempty"`
}

// Stage is one stage an API is deployed to; clients name it in the URL path.
type Stage struct {
	// StageName is letters, digits, '-' and '_', or "$default". Required; unique within the API.
	StageName string `yaml:"stageName,omitempty" json:"stageName,omitempty"`
	// StageVariables are name-value pairs templates and integrations can read. Zero value: none.
	StageVariables map[string]string `yaml:"stageVariables,omitempty" json:"stageVariables,omitempty"`
	// Description is free text. Zero value: none.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// ID returns the API's id: APIID, or DeriveAPIID(Name) when APIID is empty.
func (a *API) ID() string {
	if a.APIID != "" {
		return a.APIID
	}
	return DeriveAPIID(a.Name)
}
