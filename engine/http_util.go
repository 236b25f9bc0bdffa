package engine

import (
	"net"
	"net/http"
)

// localPort is the port of the listener a request came in on.
func localPort(r *http.Request) string {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return ""
	}
	_, port, err := net.SplitHostPort(la.String())
	if err != nil {
		return ""
	}
	return port
}

// writeJSONError writes a gateway-generated JSON answer.
func writeJSONError(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
