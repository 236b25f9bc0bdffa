package config

import (
	"fmt"
	"net/netip"
)

// validateNodeAccess checks the node settings that decide who may call: trusted proxies and the
// admin credentials.
func (c *Config) validateNodeAccess(p *problems) {
	for i, s := range c.Node.TrustedProxies {
		if _, err := ParsePrefix(s); err != nil {
			p.add(fmt.Sprintf("node.trustedProxies[%d]", i), "%q is not a CIDR (like 10.0.0.0/8) or an IP address", s)
		}
	}
	seen := map[string]int{}
	for i, cr := range c.Node.AdminCredentials {
		path := fmt.Sprintf("node.adminCredentials[%d]", i)
		if cr.AccessKeyID == "" {
			p.add(path+".accessKeyId", "required")
		} else if j, dup := seen[cr.AccessKeyID]; dup {
			p.add(path+".accessKeyId", "%q is already used by node.adminCredentials[%d]", cr.AccessKeyID, j)
		} else {
			seen[cr.AccessKeyID] = i
		}
		if cr.SecretAccessKey == "" {
			p.add(path+".secretAccessKey", "required")
		}
	}
}

// ParsePrefix reads one node.trustedProxies entry: a CIDR, or a single address (a /32 or /128).
func ParsePrefix(s string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	pr, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if pr.Addr().Is4In6() && pr.Bits() >= 96 {
		pr = netip.PrefixFrom(pr.Addr().Unmap(), pr.Bits()-96)
	}
	return pr.Masked(), nil
}

// TrustedProxyPrefixes returns node.trustedProxies parsed; entries that do not parse (which
// Validate reports) are left out.
func (n *Node) TrustedProxyPrefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(n.TrustedProxies))
	for _, s := range n.TrustedProxies {
		if pr, err := ParsePrefix(s); err == nil {
			out = append(out, pr)
		}
	}
	return out
}
