package callbacks

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// ParsePath recognises an @connections path, /{stage}/@connections/{connectionId}, in its escaped
// form (r.URL.EscapedPath()): the SDKs send the @ as %40 and escape the id, which may hold any bytes.
func ParsePath(escaped string) (stage, id string, ok bool) {
	rest := strings.TrimPrefix(escaped, "/")
	stage, rest, found := strings.Cut(rest, "/")
	if !found || stage == "" {
		return "", "", false
	}
	var coll string
	coll, rest, found = strings.Cut(rest, "/")
	if !found || (coll != "@connections" && !strings.EqualFold(coll, "%40connections")) || rest == "" || strings.Contains(rest, "/") {
		return "", "", false
	}
	var err error
	if stage, err = url.PathUnescape(stage); err != nil {
		return "", "", false
	}
	if id, err = url.PathUnescape(rest); err != nil {
		return "", "", false
	}
	return stage, id, true
}

// ServeHTTP serves PostToConnection (POST), GetConnection (GET) and DeleteConnection (DELETE) as
// API Gateway's management API does, for paths ParsePath accepts.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	stage, id, ok := ParsePath(r.URL.EscapedPath())
	if !ok {
		writeError(w, ErrForbidden)
		return
	}
	// The body is read up to one byte past the limit: a longer post answers 413 whether or not it
	// is signed, as API Gateway does, since its signature covers bytes that are never read.
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPostBytes+1))
	if err != nil {
		writeError(w, ErrBadRequest)
		return
	}
	if r.Method == http.MethodPost && len(body) > MaxPostBytes {
		writeError(w, ErrPayloadTooLarge)
		return
	}
	if err := s.authorize(r, body); err != nil {
		writeError(w, ErrForbidden)
		return
	}
	ctx := r.Context()
	switch r.Method {
	case http.MethodPost:
		if err := s.Post(ctx, stage, id, body); err != nil {
			writeError(w, asError(err))
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		info, err := s.Get(ctx, stage, id)
		if err != nil {
			writeError(w, asError(err))
			return
		}
		data, _ := json.Marshal(info)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(data)
	case http.MethodDelete:
		if err := s.Delete(ctx, stage, id); err != nil {
			writeError(w, asError(err))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, ErrForbidden)
	}
}

// authorize accepts SigV4-signed requests when credentials are configured, else loopback callers
// only (see loopbackCaller for requests that came through a proxy).
func (s *Service) authorize(r *http.Request, body []byte) error {
	if v := s.verifier.Load(); v != nil {
		return v.Verify(r, body)
	}
	return s.loopbackCaller(r)
}
