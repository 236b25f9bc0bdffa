package callbacks

import (
	"strings"

	"github.com/portico-gateway/portico/actors"
)

// Operations of the NATS @connections API.
const (
	OpPost   = "post"
	OpGet    = "get"
	OpDelete = "delete"
)

// SubjectPrefix starts every subject of the NATS @connections API.
const SubjectPrefix = "portico.node."

// Subject is the NATS subject of an @connections operation on a connection:
// portico.node.{id[:8]}.{op}.{id}. The first eight characters of a connection id name the node that
// owns it, so the subject reaches that node alone.
func Subject(op, connectionID string) (string, bool) {
	if _, ok := actors.ParseConnectionID(connectionID); !ok {
		return "", false
	}
	return SubjectPrefix + connectionID[:actors.TagTextLen] + "." + op + "." + connectionID, true
}

// nodeSubject is the wildcard a node subscribes to for the connections it owns.
func nodeSubject(tag actors.NodeTag) string {
	return SubjectPrefix + tag.String() + ".>"
}

// parseSubject splits portico.node.{tag}.{op}.{id}.
func parseSubject(subject string) (op, id string, ok bool) {
	rest, found := strings.CutPrefix(subject, SubjectPrefix)
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[1], parts[2], true
}
