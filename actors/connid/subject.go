package connid

import "strings"

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
// owns it, so the subject reaches that node alone. ok is false for a malformed id.
func Subject(op, connectionID string) (string, bool) {
	if _, ok := ParseConnectionID(connectionID); !ok {
		return "", false
	}
	return SubjectPrefix + connectionID[:TagTextLen] + "." + op + "." + connectionID, true
}

// NodeSubject is the wildcard a node subscribes to for the connections it owns.
func NodeSubject(tag NodeTag) string {
	return SubjectPrefix + tag.String() + ".>"
}

// ParseSubject splits portico.node.{tag}.{op}.{id} into its operation and connection id.
func ParseSubject(subject string) (op, id string, ok bool) {
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
