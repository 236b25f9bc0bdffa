package engine

import (
	"net/http"
	"strings"

	"github.com/portico-gateway/portico/engine/mapping"
)

// gatewayError is an answer the gateway gives itself, with each API type's dialect: HTTP APIs answer
// httpStatus/httpBody; REST APIs answer the gateway response of restType (customisable per API).
type gatewayError struct {
	httpStatus int
	httpBody   string
	restType   string
	// message is $context.error.message for REST gateway response templates.
	message string
}

// The gateway's own answers, byte for byte as API Gateway gives them.
var (
	errNotFound         = &gatewayError{404, `{"message":"Not Found"}`, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"}
	errTooLarge         = &gatewayError{413, `{"message":"Request Entity Too Large"}`, "REQUEST_TOO_LARGE", "Request Too Long"}
	errBadRequest       = &gatewayError{400, `{"message":"Bad Request"}`, "BAD_REQUEST_BODY", "Invalid request body"}
	errUnsupportedMedia = &gatewayError{415, `{"message":"Unsupported Media Type"}`, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"}
	errTimeout          = &gatewayError{504, `{"message":"Gateway Timeout"}`, "INTEGRATION_TIMEOUT", "Endpoint request timed out"}
	errUnavailable      = &gatewayError{503, `{"message":"Service Unavailable"}`, "INTEGRATION_FAILURE", "Internal server error"}
	errProxyFailed      = &gatewayError{502, `{"message":"Internal Server Error"}`, "INTEGRATION_FAILURE", "Internal server error"}
	errLambda           = &gatewayError{500, `{"message":"Internal Server Error"}`, "API_CONFIGURATION_ERROR", "Internal server error"}
	errBadOutput        = &gatewayError{500, `{"message":"Internal Server Error"}`, "API_CONFIGURATION_ERROR", "Internal server error"}
)

// errMissingParameters is REST's answer to a request without its required parameters.
func errMissingParameters(names []string) *gatewayError {
	return &gatewayError{400, `{"message":"Bad Request"}`, "BAD_REQUEST_PARAMETERS",
		"Missing required request parameters: [" + strings.Join(names, ", ") + "]"}
}

// restDefault is one REST gateway response type's default status, body and error type header.
type restDefault struct {
	status    int
	body      string // "" means {"message":<message>} with the error's own message
	errorType string
}

var restDefaults = map[string]restDefault{
	"MISSING_AUTHENTICATION_TOKEN":   {403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
	"REQUEST_TOO_LARGE":              {413, `{"message":"Request Too Long"}`, ""},
	"BAD_REQUEST_BODY":               {400, `{"message": "Invalid request body"}`, "BadRequestException"},
	"BAD_REQUEST_PARAMETERS":         {400, "", "BadRequestException"},
	"UNSUPPORTED_MEDIA_TYPE":         {415, `{"message":"Unsupported Media Type"}`, ""},
	"INTEGRATION_TIMEOUT":            {504, `{"message": "Endpoint request timed out"}`, ""},
	"INTEGRATION_FAILURE":            {504, `{"message": "Internal server error"}`, "InternalServerErrorException"},
	"API_CONFIGURATION_ERROR":        {502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
	"INVALID_API_KEY":                {403, `{"message":"Forbidden"}`, "ForbiddenException"},
	"THROTTLED":                      {429, `{"message":"Too Many Requests"}`, ""},
	"QUOTA_EXCEEDED":                 {429, `{"message":"Limit Exceeded"}`, ""},
	"ACCESS_DENIED":                  {403, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException"},
	"UNAUTHORIZED":                   {401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
	"AUTHORIZER_FAILURE":             {500, `{"message": null}`, ""},
	"AUTHORIZER_CONFIGURATION_ERROR": {500, `{"message": null}`, ""},
	"RESOURCE_NOT_FOUND":             {404, `{"message":"Not Found"}`, ""},
}

// gatewayResponse is an API's customisation of one gateway response type.
type gatewayResponse struct {
	status    int // 0: the type's default
	headers   map[string]string
	templates *mapping.Templates
}

// httpError answers q with the gateway error in q's API dialect.
func (e *Engine) httpError(w http.ResponseWriter, q *httpRequest, ge *gatewayError) {
	e.metrics.clientErrorFor(ge.httpStatus)
	if q.api.ProtocolType != "REST" {
		writeJSONError(w, ge.httpStatus, ge.httpBody)
		e.access(q, ge.httpStatus)
		return
	}
	def := restDefaults[ge.restType]
	status, body := def.status, def.body
	if body == "" {
		body = `{"message": ` + string(appendJSONString(nil, ge.message)) + `}`
	}
	gr := q.api.gatewayResponse(ge.restType, status)
	if gr != nil {
		if gr.status != 0 {
			status = gr.status
		}
		for k, v := range gr.headers {
			w.Header().Set(k, v)
		}
		if t, ok := gr.templates.Select("application/json"); ok {
			ev := &errorVars{httpRequest: q, message: ge.message, responseType: ge.restType}
			if out, err := t.Render(nil, ev); err == nil {
				body = string(out)
			}
		}
	}
	if def.errorType != "" {
		w.Header().Set("X-Amzn-Errortype", def.errorType)
	}
	writeJSONError(w, status, body)
	e.access(q, status)
}

// gatewayResponse returns the API's customisation for a response type: its own, else DEFAULT_4XX or
// DEFAULT_5XX by the status class.
func (a *API) gatewayResponse(responseType string, status int) *gatewayResponse {
	if gr, ok := a.gatewayResponses[responseType]; ok {
		return gr
	}
	if status >= 500 {
		return a.gatewayResponses["DEFAULT_5XX"]
	}
	return a.gatewayResponses["DEFAULT_4XX"]
}

// errorVars adds $context.error.* to a request's template variables.
type errorVars struct {
	*httpRequest
	message      string
	responseType string
}

// Context implements mapping.Vars.
func (v *errorVars) Context(name string) (string, bool) {
	switch name {
	case "error.message":
		return v.message, true
	case "error.messageString":
		return string(appendJSONString(nil, v.message)), true
	case "error.responseType":
		return v.responseType, true
	}
	return v.httpRequest.Context(name)
}
