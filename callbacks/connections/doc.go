// Package connections is the Go client of the @connections API for backends on NATS: post to, read
// and close any client connection by id, from any process on the node's NATS. A call goes straight
// to the node that owns the connection (the id names it), as one request on
// portico.node.{id[:8]}.{post|get|delete}.{id}. It depends on nats.go and nothing of the server, so a
// backend importing it links no gateway code; the callbacks package serves the other end.
package connections
