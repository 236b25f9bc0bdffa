package connections

import "net/http"

// Error is an @connections error as API Gateway reports it: an HTTP status, the error type sent in
// X-Amzn-ErrorType (the AWS SDKs map it to a typed exception) and a message.
type Error struct {
	Status  int
	Type    string
	Message *string
}

func (e *Error) Error() string {
	if e.Message == nil {
		return e.Type
	}
	return e.Type + ": " + *e.Message
}

// Is matches errors of the same type, so errors.Is(err, ErrGone) holds for an error decoded from a Reply.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Type == e.Type
}

func msg(s string) *string { return &s }

// The errors of the @connections API, with API Gateway's status codes and bodies. This table is the
// one place they are mapped.
var (
	// ErrGone: the connection is unknown, closed, on a node that is gone, or its $connect has not finished.
	ErrGone = &Error{Status: http.StatusGone, Type: "GoneException"}
	// ErrForbidden: the caller is not authorised (bad or missing signature, not loopback).
	ErrForbidden = &Error{Status: http.StatusForbidden, Type: "ForbiddenException", Message: msg("Forbidden")}
	// ErrPayloadTooLarge: the message is over 128 KiB.
	ErrPayloadTooLarge = &Error{Status: http.StatusRequestEntityTooLarge, Type: "PayloadTooLargeException", Message: msg("Request Entity Too Large")}
	// ErrLimitExceeded: the client's outbound queue is full; the connection is being closed.
	ErrLimitExceeded = &Error{Status: http.StatusTooManyRequests, Type: "LimitExceededException", Message: msg("Too Many Requests")}
	// ErrUnavailable: the owning node cannot be reached because NATS is down.
	ErrUnavailable = &Error{Status: http.StatusServiceUnavailable, Type: "ServiceUnavailableException", Message: msg("Service Unavailable")}
	// ErrBadRequest: the request is malformed (unsupported method on @connections).
	ErrBadRequest = &Error{Status: http.StatusBadRequest, Type: "BadRequestException", Message: msg("Bad Request")}
)
