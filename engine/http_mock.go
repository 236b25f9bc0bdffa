package engine

import (
	"context"
	"net/http"

	"github.com/portico-gateway/portico/engine/mapping"
)

// mockHTTPIntegration answers an HTTP API route from its template without a backend: status 200 and
// the rendered $default template (application/json).
type mockHTTPIntegration struct {
	templates *mapping.Templates
}

func (m *mockHTTPIntegration) serve(_ context.Context, w http.ResponseWriter, q *httpRequest) {
	var body []byte
	if t, ok := m.templates.Select("$default"); ok {
		out, err := t.Render(nil, q)
		if err != nil {
			q.engine.httpError(w, q, errLambda)
			return
		}
		body = out
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

var _ httpServer = (*mockHTTPIntegration)(nil)
