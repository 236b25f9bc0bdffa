// Package engine is Portico's dispatch core, shared by WebSocket and HTTP traffic. A message or a
// request comes in with the connection or request it belongs to; the engine selects the route of the
// stage's deployment, builds the event in API Gateway's Lambda proxy format, invokes the route's
// integration (MOCK, NATS, HTTP_PROXY, HTTP) and hands the answer back through a Replier. It owns no
// sockets: transport and actors deliver frames to it and carry its answers out.
package engine
