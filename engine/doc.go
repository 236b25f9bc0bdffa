// Package engine is Portico's dispatch core, shared by WebSocket, HTTP and REST traffic. A compiled
// Deployment holds each API with exactly one adapter of its kind (websocket.go, httpapi.go,
// restapi.go): the adapter matches the route, writes the event in API Gateway's Lambda proxy format
// (engine/events), invokes the route's integration through the one integration layer
// (engine/integration: MOCK, HTTP, HTTP_PROXY, NATS) and answers in its own dialect — a reply or
// error frame through a Replier, an HTTP response, a REST gateway response. It owns no sockets:
// transport and actors deliver frames and requests to it and carry its answers out.
package engine
