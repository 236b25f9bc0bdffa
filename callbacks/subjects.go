package callbacks

import "github.com/portico-gateway/portico/actors/connid"

// Operations of the NATS @connections API (connid's).
const (
	OpPost   = connid.OpPost
	OpGet    = connid.OpGet
	OpDelete = connid.OpDelete
)

// SubjectPrefix starts every subject of the NATS @connections API.
const SubjectPrefix = connid.SubjectPrefix

// Subject is the NATS subject of an @connections operation on a connection (connid.Subject).
func Subject(op, connectionID string) (string, bool) { return connid.Subject(op, connectionID) }
