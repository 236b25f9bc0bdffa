package callbacks

import (
	"encoding/json"
	"errors"
	"io"
	"net"
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
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPostBytes+1))
	if err != nil {
		writeError(w, ErrBadRequest)
		return
	}
	if r.Method == http.MethodPost && len(body) > MaxPostBytes {
		// As API Gateway: a message over the limit is answered 413 whatever its signature (which
		// cannot be checked on a body that was not read whole).
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

// authorize accepts SigV4-signed requests when credentials are configured, else loopback callers only.
func (s *Service) authorize(r *http.Request, body []byte) error {
	if v := s.verifier.Load(); v != nil {
		return v.Verify(r, body)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.New("only loopback callers are allowed without configured credentials")
	}
	// A request a proxy forwarded came from elsewhere, unless the proxy is trusted to say so.
	xff, fwd := r.Header.Values("X-Forwarded-For"), r.Header.Values("Forwarded")
	if len(xff) == 0 && len(fwd) == 0 {
		return nil
	}
	if !s.trustedProxy(ip) {
		return errors.New("a forwarded request is not a loopback caller unless its proxy is in node.trustedProxies")
	}
	// Through a trusted proxy, the caller is the client the proxy names, and it must be loopback too.
	if client := forwardedClient(xff, fwd); client == nil || !client.IsLoopback() {
		return errors.New("the forwarded client is not a loopback caller")
	}
	return nil
}

// forwardedClient is the client the nearest proxy names: the last X-Forwarded-For address, else the
// last for= of Forwarded.
func forwardedClient(xff, fwd []string) net.IP {
	if len(xff) > 0 {
		parts := strings.Split(xff[len(xff)-1], ",")
		return net.ParseIP(strings.TrimSpace(parts[len(parts)-1]))
	}
	elems := strings.Split(fwd[len(fwd)-1], ",")
	for _, pair := range strings.Split(elems[len(elems)-1], ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
		if strings.EqualFold(k, "for") {
			v = strings.Trim(v, `"`)
			if h, _, err := net.SplitHostPort(v); err == nil {
				v = h
			}
			return net.ParseIP(strings.Trim(v, "[]"))
		}
	}
	return nil
}

func (s *Service) trustedProxy(ip net.IP) bool {
	for _, n := range s.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
