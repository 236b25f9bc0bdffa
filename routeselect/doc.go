// Package routeselect compiles API Gateway selection expressions ($request.body.action,
// ${request.body.service}/${request.body.action}, /regex/ patterns) once per deployment and
// evaluates them per message against the message body and a Source of request values.
// The engine asks a RouteTable which route key a WebSocket message goes to; this package
// does no I/O and knows nothing about connections or integrations.
package routeselect
