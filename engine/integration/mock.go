package integration

import (
	"context"

	"github.com/tidwall/gjson"
)

// mockInvoker answers without a backend: the adapter renders the route's template into the request
// body, and that is the answer, with status 200.
type mockInvoker struct{}

func (mockInvoker) Inline() {}

// Invoke implements Invoker.
func (mockInvoker) Invoke(_ context.Context, req *Request) (*Response, error) {
	return &Response{StatusCode: 200, Body: req.Body}, nil
}

// MockStatus reads the {"statusCode": N} a MOCK's rendered request template may carry, as API
// Gateway's MOCK integrations do to pick their answer. ok is false when there is none in 100–599.
func MockStatus(body []byte) (status int, ok bool) {
	if len(body) == 0 {
		return 0, false
	}
	sc := gjson.GetBytes(body, "statusCode")
	if sc.Type != gjson.Number || sc.Int() < 100 || sc.Int() > 599 {
		return 0, false
	}
	return int(sc.Int()), true
}

// Mock is the MOCK integration type.
var Mock = &Type{
	Name:      "MOCK",
	Payload:   PayloadTemplate,
	Target:    TargetNone,
	Protocols: []string{ProtocolWebSocket, ProtocolHTTP, ProtocolREST},
	New:       func(Spec) (Invoker, error) { return mockInvoker{}, nil },
}

var (
	_ Invoker = mockInvoker{}
	_ Inline  = mockInvoker{}
)
