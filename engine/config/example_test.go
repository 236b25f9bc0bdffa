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

func ExampleParse_httpAPI() {
	src := `apis:
  - name: pets
    protocolType: HTTP
    routes:
      - routeKey: GET /pets/{id}
        integration: { integrationType: NATS, integrationUri: pets.get }
`
	c, err := config.Parse("pets.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := c.APIs[0]
	in := a.Routes[0].Integration
	fmt.Println(a.RouteSelectionExpression)
	fmt.Println(in.PayloadFormatVersion, in.TimeoutInMillis)
	fmt.Println(a.Stages[0].StageName)
	// Output:
	// ${request.method} ${request.path}
	// 2.0 30000
	// $default
}

func ExampleParse_restAPI() {
	src := `apis:
  - name: petstore
    protocolType: REST
    resources:
      - path: /pets/{petId}
        methods:
          - httpMethod: GET
            requestParameters: { method.request.path.id: true }
            integration: { type: NATS, uri: petstore.getpet }
    stages:
      - stageName: prod
        stageVariables: { color: blue }
`
	_, err := config.Parse("petstore.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// petstore.yaml:8:34: apis[0].resources[0].methods[0].requestParameters["method.request.path.id"]: path parameter "id" is not in the resource path "/pets/{petId}"
	// petstore.yaml:12:9: apis[0].stages[0].stageVariables: REST stages spell it "variables"
}
