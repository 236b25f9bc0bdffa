package actors

import "github.com/portico-gateway/portico/actors/connid"

// Connection ids live in the leaf package connid; these names keep the actors spelling working.
const (
	NodeTagLen = connid.NodeTagLen
	TagTextLen = connid.TagTextLen
)

// NodeTag is connid.NodeTag.
type NodeTag = connid.NodeTag

// TagOf is connid.TagOf.
func TagOf(nodeID string) NodeTag { return connid.TagOf(nodeID) }

// NewConnectionID is connid.NewConnectionID.
func NewConnectionID(t NodeTag) string { return connid.NewConnectionID(t) }

// ParseConnectionID is connid.ParseConnectionID.
func ParseConnectionID(id string) (NodeTag, bool) { return connid.ParseConnectionID(id) }
