package engine

import (
	"net/http"
	"strconv"
	"strings"
)

// corsPolicy is an HTTP API's corsConfiguration. Once configured, the gateway answers preflight
// requests itself (no integration runs) and, on other requests with an Origin, drops the backend's
// CORS headers and adds the configured ones.
type corsPolicy struct {
	allowOrigins     []string
	allowMethods     string
	allowHeaders     string
	exposeHeaders    string
	maxAge           string
	allowCredentials bool
}

func newCORSPolicy(origins, methods, headers, expose []string, maxAge int, credentials bool) *corsPolicy {
	p := &corsPolicy{
		allowOrigins:     origins,
		allowMethods:     strings.Join(methods, ","),
		allowHeaders:     strings.Join(headers, ","),
		exposeHeaders:    strings.Join(expose, ","),
		allowCredentials: credentials,
	}
	if maxAge > 0 {
		p.maxAge = strconv.Itoa(maxAge)
	}
	return p
}

// allowedOrigin returns the Access-Control-Allow-Origin value for origin, or "".
func (p *corsPolicy) allowedOrigin(origin string) string {
	for _, o := range p.allowOrigins {
		if o == "*" {
			if p.allowCredentials {
				return origin
			}
			return "*"
		}
		if strings.EqualFold(o, origin) {
			return origin
		}
	}
	return ""
}

// preflight answers a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) with
// 204 and reports true; other requests are left alone.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodOptions {
		return false
	}
	origin := r.Header.Get("Origin")
	reqMethod := r.Header.Get("Access-Control-Request-Method")
	if origin == "" || reqMethod == "" {
		return false
	}
	h := w.Header()
	if allowed := p.allowedOrigin(origin); allowed != "" && p.methodAllowed(reqMethod) {
		h.Set("Access-Control-Allow-Origin", allowed)
		if p.allowMethods != "" {
			h.Set("Access-Control-Allow-Methods", p.allowMethods)
		}
		if p.allowHeaders != "" {
			h.Set("Access-Control-Allow-Headers", p.allowHeaders)
		} else if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" && p.allowHeaders == "*" {
			h.Set("Access-Control-Allow-Headers", rh)
		}
		if p.maxAge != "" {
			h.Set("Access-Control-Max-Age", p.maxAge)
		}
		if p.allowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if allowed != "*" {
			h.Add("Vary", "Origin")
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

func (p *corsPolicy) methodAllowed(m string) bool {
	if p.allowMethods == "" {
		return false
	}
	for _, a := range strings.Split(p.allowMethods, ",") {
		if a == "*" || strings.EqualFold(a, m) {
			return true
		}
	}
	return false
}

// wrap returns w adjusted for a non-preflight request: with an Origin, the backend's CORS headers are
// replaced by the configured ones when the response starts.
func (p *corsPolicy) wrap(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return w
	}
	return &corsWriter{ResponseWriter: w, policy: p, origin: origin}
}

type corsWriter struct {
	http.ResponseWriter
	policy *corsPolicy
	origin string
	done   bool
}

func (c *corsWriter) apply() {
	if c.done {
		return
	}
	c.done = true
	h := c.ResponseWriter.Header()
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
	if allowed := c.policy.allowedOrigin(c.origin); allowed != "" {
		h.Set("Access-Control-Allow-Origin", allowed)
		if c.policy.exposeHeaders != "" {
			h.Set("Access-Control-Expose-Headers", c.policy.exposeHeaders)
		}
		if c.policy.allowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if allowed != "*" {
			h.Add("Vary", "Origin")
		}
	}
}

func (c *corsWriter) WriteHeader(code int) {
	c.apply()
	c.ResponseWriter.WriteHeader(code)
}

func (c *corsWriter) Write(b []byte) (int, error) {
	c.apply()
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (c *corsWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
