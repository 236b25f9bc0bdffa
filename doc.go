// Package portico assembles a gateway node: the embedded or external NATS connection, the engine
// with the config's deployment, the connection actors, the client listener (transport) and the admin
// listener. cmd/portico is a thin command line around New and Shutdown; tests build nodes the same way.
package portico
