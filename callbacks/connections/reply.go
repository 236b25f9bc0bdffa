package connections

// Reply is the JSON answer to a call of the NATS @connections API: {"statusCode":200},
// {"statusCode":200,"connection":{…}} for a get, {"statusCode":204} for a delete, or an error such
// as {"statusCode":410,"errorType":"GoneException"}. The node writes it; the Client reads it.
type Reply struct {
	StatusCode int             `json:"statusCode"`
	ErrorType  string          `json:"errorType,omitempty"`
	Message    *string         `json:"message,omitempty"`
	Connection *ConnectionInfo `json:"connection,omitempty"`
}

// Err returns the reply's error as an *Error, or nil for a success.
func (r *Reply) Err() error {
	if r.StatusCode < 300 {
		return nil
	}
	return &Error{Status: r.StatusCode, Type: r.ErrorType, Message: r.Message}
}

// ErrorReply is the reply that reports e.
func ErrorReply(e *Error) Reply {
	return Reply{StatusCode: e.Status, ErrorType: e.Type, Message: e.Message}
}
