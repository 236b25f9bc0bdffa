package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAuthorizersThatAreNotServedAreRefused(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"lambda authorizer": {`apis:
  - name: site
    protocolType: HTTP
    authorizers: [ { name: l, authorizerType: REQUEST } ]
    routes: [ { routeKey: GET /a, integration: { integrationType: MOCK } } ]
`, "a.yaml:4:31: apis[0].authorizers[0].authorizerType: Lambda REQUEST authorizers are not served yet"},
		"websocket authorizer": {`apis:
  - name: chat
    protocolType: WEBSOCKET
    authorizers: [ { name: j, authorizerType: JWT } ]
    routes: [ { routeKey: $default, integration: { integrationType: MOCK } } ]
    stages: [ { stageName: prod } ]
`, "a.yaml:4:5: apis[0].authorizers: authorizers are served for HTTP APIs (JWT) only so far"},
		"IAM route": {`apis:
  - name: site
    protocolType: HTTP
    routes: [ { routeKey: GET /a, authorizationType: AWS_IAM, integration: { integrationType: MOCK } } ]
`, "apis[0].routes[0].authorizationType: AWS_IAM authorization is not served yet"},
		"unknown authorizer": {`apis:
  - name: site
    protocolType: HTTP
    routes: [ { routeKey: GET /a, authorizationType: JWT, authorizerId: nope, integration: { integrationType: MOCK } } ]
`, "apis[0].routes[0].authorizerId: must name a JWT authorizer of the API"},
		"http issuer": {`apis:
  - name: site
    protocolType: HTTP
    authorizers: [ { name: j, authorizerType: JWT, jwtConfiguration: { issuer: "http://idp.example", audience: [a] } } ]
    routes: [ { routeKey: GET /a, integration: { integrationType: MOCK } } ]
`, "apis[0].authorizers[0].jwtConfiguration.issuer: must be an https URL (http only on a loopback host)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("a.yaml", []byte(tc.src))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
