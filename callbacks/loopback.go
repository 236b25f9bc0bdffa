package callbacks

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// errNotLoopback is why a caller without credentials was refused.
var errNotLoopback = errors.New("only loopback callers are allowed without configured credentials")

// SetTrustedProxies replaces the peers whose forwarding headers are believed (node.trustedProxies).
func (s *Service) SetTrustedProxies(proxies []netip.Prefix) {
	p := slices.Clone(proxies)
	s.proxies.Store(&p)
}

// loopbackCaller admits r only when the caller is on this host. A request without X-Forwarded-For
// or Forwarded is its peer's; one that carries either came through a proxy, so it is a loopback
// caller only when its peer is a trusted proxy and the client the headers name (the right-most
// address that is not itself a trusted proxy) is on loopback. Both headers, when both are present,
// must name a loopback client: a trusted proxy that appends to one passes the other on from the
// client untouched.
func (s *Service) loopbackCaller(r *http.Request) error {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return errNotLoopback
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !peer.Unmap().IsLoopback() {
		return errNotLoopback
	}
	xff, fwd := r.Header.Values("X-Forwarded-For"), r.Header.Values("Forwarded")
	if len(xff) == 0 && len(fwd) == 0 {
		return nil
	}
	var trusted []netip.Prefix
	if p := s.proxies.Load(); p != nil {
		trusted = *p
	}
	if !inPrefixes(trusted, peer) {
		return errNotLoopback
	}
	for _, hops := range [][]string{forwardedForList(xff), forwardedList(fwd)} {
		if hops == nil {
			continue
		}
		if client, ok := forwardedClient(hops, trusted); !ok || !client.IsLoopback() {
			return errNotLoopback
		}
	}
	return nil
}

// forwardedClient walks hops (client first, nearest proxy last) from the right, past trusted
// proxies, and returns the first address that is not one; ok is false when a hop is not an
// address (unknown, obfuscated or malformed), since then the client cannot be known.
func forwardedClient(hops []string, trusted []netip.Prefix) (netip.Addr, bool) {
	var addr netip.Addr
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return netip.Addr{}, false
		}
		addr = a
		if !inPrefixes(trusted, a) {
			break
		}
	}
	return addr, addr.IsValid()
}

func inPrefixes(prefixes []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedForList splits X-Forwarded-For values into hops; nil when there are none.
func forwardedForList(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	return hops
}

// forwardedList returns the for= parameter of each element of RFC 7239 Forwarded values; an element
// without one gives "" (an unknown hop). Nil when there are none.
func forwardedList(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, elem := range strings.Split(v, ",") {
			hop := ""
			for _, pair := range strings.Split(elem, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "for") {
					hop = strings.Trim(strings.TrimSpace(val), `"`)
				}
			}
			hops = append(hops, hop)
		}
	}
	return hops
}

// parseHop reads one forwarded address: an IP, an IP with a port, or a bracketed IPv6 address with
// or without a port.
func parseHop(h string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		if a, err := netip.ParseAddr(h[1 : len(h)-1]); err == nil {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
