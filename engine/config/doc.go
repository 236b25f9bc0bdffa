// Package config reads the node's config file: API definitions in the apigatewayv2 resource
// model plus node, WebSocket and @connections settings. It turns YAML or JSON text into a
// validated, defaulted Config whose every problem is reported as "file:line:col: path: message";
// it does not parse selection expressions or templates (the engine compiles those and reports
// through Config.Errorf) and it starts nothing.
package config
