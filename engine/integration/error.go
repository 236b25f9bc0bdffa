package integration

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies why an integration failed. Each adapter maps kinds to its own dialect (an error
// frame, an HTTP status, a REST gateway response) in one table.
type Kind uint8

const (
	// Failed is any other failure of the backend's transport, such as a connection reset.
	Failed Kind = iota
	// Timeout: no answer within the integration timeout.
	Timeout
	// Unavailable: the way to the backend is down (NATS disconnected or draining, no responders).
	Unavailable
	// Refused: the backend refused the connection.
	Refused
	// BadResponse: the backend answered with something that is not a valid response (malformed
	// Lambda proxy response, a body over the limit).
	BadResponse
	// TooLarge: the request is over the payload limit.
	TooLarge
	// BackendError: the backend ran and reported an error (a NATS service error, a function error).
	BackendError
	// Invalid: the request could not be built (an integration URI that is not a URL after
	// substitution, a template that failed to render).
	Invalid
)

var kindNames = [...]string{"failed", "timeout", "unavailable", "refused", "bad response", "too large", "backend error", "invalid request"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is an integration failure.
type Error struct {
	Kind Kind
	// Backend names what was called: a subject, a URL, "MOCK".
	Backend string
	Err     error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Backend + ": " + e.Kind.String()
	}
	return e.Backend + ": " + e.Kind.String() + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of kind k.
func Errorf(k Kind, backend, format string, args ...any) *Error {
	return &Error{Kind: k, Backend: backend, Err: fmt.Errorf(format, args...)}
}

// KindOf returns the kind of err: an *Error's own, Timeout for a deadline, else Failed.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	return Failed
}
