// Package config reads the node's config file: API definitions (WebSocket and HTTP APIs in the
// apigatewayv2 resource model, REST APIs in the apigateway v1 model as CloudFormation spells it)
// plus node, WebSocket and @connections settings. It turns YAML or JSON text into a validated,
// defaulted Config whose every problem is reported as "file:line:col: path: message"; it does not
// parse selection expressions, route key templates or mapping templates (the engine compiles
// those and reports through Config.Errorf) and it starts nothing.
package config
