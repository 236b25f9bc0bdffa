package engine

import (
	"context"

	"github.com/tidwall/gjson"
)

// mockIntegration answers from the route's templates without calling a backend. The template
// selected by templateSelectionExpression (else $default) is rendered with $input and $context;
// the result is the reply body. On $connect, a rendered JSON object with a numeric statusCode sets
// the handshake's status, as an API Gateway MOCK integration's {"statusCode": N} does.
type mockIntegration struct {
	route *Route
}

func (m *mockIntegration) synchronous() {}

// Invoke implements Integration.
func (m *mockIntegration) Invoke(_ context.Context, r *wsRequest) (*Response, error) {
	body, err := m.route.render(r)
	if err != nil {
		return nil, err
	}
	resp := &Response{StatusCode: 200, Body: body}
	if r.eventType == EventConnect && len(body) > 0 {
		if sc := gjson.GetBytes(body, "statusCode"); sc.Type == gjson.Number && sc.Int() >= 100 && sc.Int() <= 599 {
			resp.StatusCode = int(sc.Int())
		}
	}
	return resp, nil
}

// render renders the route's selected request template; with no templates, the body is passed through
// unchanged for HTTP integrations and empty for MOCK.
func (rt *Route) render(r *wsRequest) ([]byte, error) {
	if rt.templates == nil || rt.templates.Len() == 0 {
		return nil, nil
	}
	key := "$default"
	if rt.templateSelection != nil {
		if v, ok := rt.templateSelection.Evaluate(r.body, r); ok {
			key = v
		}
	}
	t, ok := rt.templates.Select(key)
	if !ok {
		return nil, nil
	}
	if t.IsPassthrough() {
		return r.body, nil
	}
	return t.Render(make([]byte, 0, len(r.body)+64), r)
}

var (
	_ Integration = (*mockIntegration)(nil)
	_ synchronous = (*mockIntegration)(nil)
)
