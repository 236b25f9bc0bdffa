// Package integration is the one way Portico reaches a backend. An adapter of an API kind (WebSocket,
// HTTP, REST) builds a Request — the Lambda proxy event for a function, the method, URL, headers and
// body for an HTTP backend, the rendered template for a MOCK — and calls the route's Invoker; the
// Response, or an *Error with its Kind, goes back to the adapter, which answers in its own dialect.
// The registry (Lookup) holds each integration type's defaults, validation rules and constructor, so
// a new type is one file. The package knows nothing of routes, events or API dialects.
package integration
