// Package callbacks is the @connections API: backends post to, read and close client connections by
// id, over HTTP (wire-compatible with API Gateway's management API, SigV4-authenticated) or NATS. The
// connection id names the node that owns it, so a call received by any node reaches the owner with one
// NATS request on that node's subject; the owner hands it to the connection's actor. The package keeps
// no per-connection state, and Client is the Go client backends on NATS import.
package callbacks
