// Package connid is the leaf every part of Portico shares about connection ids: how a node names
// itself in the ids it issues (NodeTag), how ids are made and read, and the NATS subjects of the
// @connections API that follow from them. It imports the standard library only, so backends and
// other leaf packages can use it without the server.
package connid

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// NodeTagLen is the length in bytes of the node tag at the front of every connection id. Six bytes
// encode to exactly eight base64 characters, so the tag can be read off an id as text: id[:8].
const NodeTagLen = 6

// TagTextLen is the length of a node tag as text, and of the prefix of a connection id that names it.
const TagTextLen = 8

// randomLen is the number of random bytes in a connection id (96 bits).
const randomLen = 12

// idLen is the length of an encoded connection id: 18 bytes in unpadded URL-safe base64.
const idLen = 24

// NodeTag is the short, stable tag of a node's id carried by every connection id the node issues, so
// any node can tell which node owns a connection from the id alone.
type NodeTag [NodeTagLen]byte

// TagOf derives the tag of a node id.
func TagOf(nodeID string) NodeTag {
	sum := sha256.Sum256([]byte(nodeID))
	var t NodeTag
	copy(t[:], sum[:NodeTagLen])
	return t
}

// String returns the tag as URL-safe base64: eight characters, usable in a NATS subject, and the
// first eight characters of every connection id the node issues.
func (t NodeTag) String() string {
	return base64.RawURLEncoding.EncodeToString(t[:])
}

// NewConnectionID returns a new connection id owned by the node with tag t: the tag followed by 96
// random bits from crypto/rand, so ids cannot be guessed. Ids use the URL-safe alphabet (A-Z a-z 0-9
// - _), so they fit URL paths and NATS subject tokens as they are.
func NewConnectionID(t NodeTag) string {
	var b [NodeTagLen + randomLen]byte
	copy(b[:], t[:])
	// crypto/rand.Read never returns an error: it crashes the program rather than hand out
	// predictable bytes.
	_, _ = rand.Read(b[NodeTagLen:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ParseConnectionID returns the tag of the node that owns id. ok is false for anything that is not a
// well-formed connection id.
func ParseConnectionID(id string) (t NodeTag, ok bool) {
	if len(id) != idLen {
		return t, false
	}
	var b [NodeTagLen + randomLen]byte
	n, err := base64.RawURLEncoding.Decode(b[:], []byte(id))
	if err != nil || n != NodeTagLen+randomLen {
		return t, false
	}
	copy(t[:], b[:NodeTagLen])
	return t, true
}
