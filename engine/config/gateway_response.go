package config

// Gateway response types: the responses a REST API makes itself, as API Gateway names them.
// DEFAULT_4XX and DEFAULT_5XX customise every 4xx or 5xx type that has no entry of its own.
const (
	GatewayResponseAccessDenied                 = "ACCESS_DENIED"
	GatewayResponseAPIConfigurationError        = "API_CONFIGURATION_ERROR"
	GatewayResponseAuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
	GatewayResponseAuthorizerFailure            = "AUTHORIZER_FAILURE"
	GatewayResponseBadRequestParameters         = "BAD_REQUEST_PARAMETERS"
	GatewayResponseBadRequestBody               = "BAD_REQUEST_BODY"
	GatewayResponseDefault4XX                   = "DEFAULT_4XX"
	GatewayResponseDefault5XX                   = "DEFAULT_5XX"
	GatewayResponseExpiredToken                 = "EXPIRED_TOKEN"
	GatewayResponseIntegrationFailure           = "INTEGRATION_FAILURE"
	GatewayResponseIntegrationTimeout           = "INTEGRATION_TIMEOUT"
	GatewayResponseInvalidAPIKey                = "INVALID_API_KEY"
	GatewayResponseInvalidSignature             = "INVALID_SIGNATURE"
	GatewayResponseMissingAuthenticationToken   = "MISSING_AUTHENTICATION_TOKEN"
	GatewayResponseQuotaExceeded                = "QUOTA_EXCEEDED"
	GatewayResponseRequestTooLarge              = "REQUEST_TOO_LARGE"
	GatewayResponseResourceNotFound             = "RESOURCE_NOT_FOUND"
	GatewayResponseThrottled                    = "THROTTLED"
	GatewayResponseUnauthorized                 = "UNAUTHORIZED"
	GatewayResponseUnsupportedMediaType         = "UNSUPPORTED_MEDIA_TYPE"
	GatewayResponseWAFFiltered                  = "WAF_FILTERED"
)

// GatewayResponse customises one type of response a REST API makes itself.
type GatewayResponse struct {
	// ResponseType is one of the GatewayResponse* types. Required; unique within the API.
	ResponseType string `yaml:"responseType,omitempty" json:"responseType,omitempty"`
	// StatusCode is a 3-digit HTTP status code, 100 to 599. Zero value: the type's own status.
	StatusCode string `yaml:"statusCode,omitempty" json:"statusCode,omitempty"`
	// ResponseParameters set response headers, gatewayresponse.header.NAME, from
	// method.request.*, stageVariables.*, context.* or a 'quoted literal'. Zero value: none.
	ResponseParameters map[string]string `yaml:"responseParameters,omitempty" json:"responseParameters,omitempty"`
	// ResponseTemplates are body templates by content type. Zero value: the type's default body,
	// {"message":$context.error.messageString}.
	ResponseTemplates map[string]string `yaml:"responseTemplates,omitempty" json:"responseTemplates,omitempty"`
}

// gatewayResponseTypes returns every gateway response type, in API Gateway's documentation
// order.
func gatewayResponseTypes() []string {
	return []string{
		GatewayResponseAccessDenied,
		GatewayResponseAPIConfigurationError,
		GatewayResponseAuthorizerConfigurationError,
		GatewayResponseAuthorizerFailure,
		GatewayResponseBadRequestParameters,
		GatewayResponseBadRequestBody,
		GatewayResponseDefault4XX,
		GatewayResponseDefault5XX,
		GatewayResponseExpiredToken,
		GatewayResponseIntegrationFailure,
		GatewayResponseIntegrationTimeout,
		GatewayResponseInvalidAPIKey,
		GatewayResponseInvalidSignature,
		GatewayResponseMissingAuthenticationToken,
		GatewayResponseQuotaExceeded,
		GatewayResponseRequestTooLarge,
		GatewayResponseResourceNotFound,
		GatewayResponseThrottled,
		GatewayResponseUnauthorized,
		GatewayResponseUnsupportedMediaType,
		GatewayResponseWAFFiltered,
	}
}
