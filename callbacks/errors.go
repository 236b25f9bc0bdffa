package callbacks

import (
	"encoding/json"
	"errors"
	"net/http"
)

// asError maps any error to an @connections error; unknown errors are ErrUnavailable.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ErrUnavailable
}

// writeError answers an HTTP @connections call with e, as API Gateway does: its status,
// X-Amzn-ErrorType and a {"message":"..."} (or {"message":null}) body.
func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("X-Amzn-Errortype", e.Type)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	b, _ := json.Marshal(struct {
		Message *string `json:"message"`
	}{e.Message})
	_, _ = w.Write(b)
}
