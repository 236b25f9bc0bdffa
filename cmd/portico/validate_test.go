package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidatePrintsEachAPIsRouteCount(t *testing.T) {
	p := writeFile(t, "kinds.yaml", `apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: MOCK }
    stages: [ { stageName: prod } ]
  - name: site
    protocolType: HTTP
    routes:
      - routeKey: GET /a
        integration: { integrationType: MOCK }
      - routeKey: GET /b
        integration: { integrationType: MOCK }
  - name: shop
    protocolType: REST
    resources:
      - path: /pets
        methods:
          - { httpMethod: GET, integration: { type: MOCK } }
          - { httpMethod: POST, integration: { type: MOCK } }
          - { httpMethod: DELETE, integration: { type: MOCK } }
    stages: [ { stageName: prod } ]
`)
	out, err := runCommand(t, "validate", "--config", p)
	require.NoError(t, err, out)
	require.Contains(t, out, "chat\tWEBSOCKET\t1 routes")
	require.Contains(t, out, "site\tHTTP\t2 routes")
	require.Contains(t, out, "shop\tREST\t3 routes")
}

func TestValidateReportsProblemsBeyondAnUnknownField(t *testing.T) {
	p := writeFile(t, "many.yaml", `apis:
  - name: chat
    protocolType: WEBSOCKET
    colour: blue
    routes:
      - routeKey: $default
        integration: { integrationType: NATS }
`)
	_, err := runCommand(t, "validate", "--config", p)
	require.Error(t, err)
	require.Contains(t, err.Error(), `apis[0].colour: unknown field "colour"`)
	require.Contains(t, err.Error(), "apis[0].routes[0].integration.integrationUri: required for integrationType NATS")
	require.Contains(t, err.Error(), "apis[0].stages: at least one stage is required")
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	p := writeFile(t, "broken.yaml", `node:
  regoin: eu-west-1
  logLevel: loud
apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: $default
        integration: { integrationType: HTTP_PROXY }
`)
	out, err := runCommand(t, "validate", "--config", p)
	require.Error(t, err, out)
	msg := err.Error()
	for _, want := range []string{
		p + `:2:3: node.regoin: unknown field "regoin"`,
		p + ":3:3: node.logLevel: must be one of debug, info, warn, error",
		"apis[0].routes[0].integration.integrationUri: required",
		"apis[0].stages: at least one stage is required",
	} {
		require.Contains(t, msg, want)
	}
}
