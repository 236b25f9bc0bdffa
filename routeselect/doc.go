// Package routeselect compiles API Gateway selection expressions ($request.body.action,
// ${request.body.service}/${request.body.action}, /regex/ patterns) and route paths once per
// deployment and evaluates them per message or request. The engine asks a RouteTable which
// route key a WebSocket message goes to, an HTTPRouter which route key ("GET /pets/{id}",
// "ANY /{proxy+}", $default) an HTTP API request goes to, and a ResourceTree which REST API
// resource and method a request reaches, with the decoded path parameters. This package
// does no I/O and knows nothing about connections or integrations.
package routeselect
