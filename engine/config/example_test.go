package config_test

import (
	"fmt"

	"github.com/portico-gateway/portico/engine/config"
)

func ExampleParse() {
	src := `apis:
  - name: chat
    protocolType: WEBSOCKET
    routes:
      - routeKey: sendmessage
        integration: { integrationType: NATS }
    stages:
      - stageName: prod
`
	_, err := config.Parse("chat.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// chat.yaml:6:9: apis[0].routes[0].integration.integrationUri: required for integrationType NATS
}

func ExampleConfig_Errorf() {
	c, err := config.Parse("chat.yaml", []byte("apis:\n  - name: chat\n    protocolType: WEBSOCKET\n    routeSelectionExpression: $request.bdy.action\n    routes: [{ routeKey: $default, integration: { integrationType: MOCK } }]\n    stages: [{ stageName: prod }]\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Errorf("apis[0].routeSelectionExpression", "unknown source %q", "bdy"))
	// Output:
	// chat.yaml:4:5: apis[0].routeSelectionExpression: unknown source "bdy"
}
