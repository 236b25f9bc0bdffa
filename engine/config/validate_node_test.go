package config

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTrustedProxiesAndAdminCredentialsAreValidated(t *testing.T) {
	src := `node:
  trustedProxies: [10.0.0.0/8, 192.168.1.7, "::1", not-a-cidr, 10.0.0.0/33]
  adminCredentials:
    - { accessKeyId: ops }
    - { accessKeyId: ops, secretAccessKey: x }
`
	_, err := Parse("n.yaml", []byte(src))
	require.EqualError(t, err, `n.yaml:2:52: node.trustedProxies[3]: "not-a-cidr" is not a CIDR (like 10.0.0.0/8) or an IP address
n.yaml:2:64: node.trustedProxies[4]: "10.0.0.0/33" is not a CIDR (like 10.0.0.0/8) or an IP address
n.yaml:4:7: node.adminCredentials[0].secretAccessKey: required
n.yaml:5:9: node.adminCredentials[1].accessKeyId: "ops" is already used by node.adminCredentials[0]`)
}

func TestTrustedProxyPrefixesTakeAddressesAndCIDRs(t *testing.T) {
	n := Node{TrustedProxies: []string{"10.1.2.3/16", "192.168.1.7", "::1", "::ffff:127.0.0.1"}}
	require.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("127.0.0.1/32"),
	}, n.TrustedProxyPrefixes())
}
