// Package callbacks is the @connections API: backends post to, read and close client connections by
// id, over HTTP (wire-compatible with API Gateway's management API, SigV4-authenticated) or NATS. The
// connection id names the node that owns it, so a call received by any node reaches the owner with one
// NATS request on that node's subject; the owner hands it to the connection, found through a Registry
// (the node adapts its actor system). The package keeps no per-connection state. The Go client for
// backends on NATS is callbacks/connections; Client and the errors here are aliases of it.
package callbacks
