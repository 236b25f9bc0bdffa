// Package actors holds one protoactor-go actor per client connection. The actor owns the
// connection's id, its engine.Connection (stage, identity, connectedAt), lastActiveAt, the bounded
// outbound queue and its idle and lifetime deadlines (one sweep per node checks them all); frames
// arrive from transport as messages, go to the engine for routing, and replies and @connections
// posts come back through the actor's mailbox to the socket. It neither parses route expressions
// nor calls backends: that is the engine's work.
package actors
