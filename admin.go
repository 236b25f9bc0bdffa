package portico

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/http/pprof"

	"github.com/portico-gateway/portico/engine/config"
)

// adminAccess is what the admin listener's protected paths (/debug/pprof/) serve, and to whom.
type adminAccess struct {
	pprof bool
	// creds are the accepted HTTP Basic pairs, as digests so comparing them takes the same time
	// whatever the lengths; none means any caller that reaches the admin listener.
	creds []adminDigest
}

type adminDigest struct{ user, password [sha256.Size]byte }

// setAdminAccess puts node.pprof and node.adminCredentials of cfg in force.
func (n *Node) setAdminAccess(cfg *config.Config) {
	a := &adminAccess{pprof: cfg.Node.Pprof}
	for _, c := range cfg.Node.AdminCredentials {
		a.creds = append(a.creds, adminDigest{sha256.Sum256([]byte(c.AccessKeyID)), sha256.Sum256([]byte(c.SecretAccessKey))})
	}
	n.adminAccess.Store(a)
}

// mountPprof serves Go's runtime profiles (command line, stacks, heap, CPU, trace) under
// /debug/pprof/: 404 unless node.pprof is set, and behind HTTP Basic authentication with
// node.adminCredentials when any are configured.
func (n *Node) mountPprof(mux *http.ServeMux) {
	guard := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			a := n.adminAccess.Load()
			if a == nil || !a.pprof {
				http.NotFound(w, r)
				return
			}
			if len(a.creds) > 0 && !a.allows(r) {
				w.Header().Set("WWW-Authenticate", `Basic realm="portico admin", charset="UTF-8"`)
				http.Error(w, "Unauthorized", http.StatusUnauthorized)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("/debug/pprof/", guard(pprof.Index))
	mux.HandleFunc("/debug/pprof/cmdline", guard(pprof.Cmdline))
	mux.HandleFunc("/debug/pprof/profile", guard(pprof.Profile))
	mux.HandleFunc("/debug/pprof/symbol", guard(pprof.Symbol))
	mux.HandleFunc("/debug/pprof/trace", guard(pprof.Trace))
}

// allows reports whether r carries one of the configured pairs. Every pair is compared, in
// constant time, so the answer's timing says nothing about which part was wrong.
func (a *adminAccess) allows(r *http.Request) bool {
	user, password, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u, p := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	match := 0
	for _, c := range a.creds {
		match |= subtle.ConstantTimeCompare(u[:], c.user[:]) & subtle.ConstantTimeCompare(p[:], c.password[:])
	}
	return match == 1
}
