package config

import (
	"crypto/sha256"
	"encoding/binary"
)

// apiIDLen is the length of an API id, as API Gateway makes them.
const apiIDLen = 10

const apiIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// DeriveAPIID returns a stable 10-character id of lowercase letters and digits derived from an
// API's name by hashing, so an API keeps its id (and its clients' URLs) across restarts.
func DeriveAPIID(name string) string {
	sum := sha256.Sum256([]byte(name))
	n := binary.BigEndian.Uint64(sum[:8])
	var id [apiIDLen]byte
	for i := range id {
		id[i] = apiIDAlphabet[n%uint64(len(apiIDAlphabet))]
		n /= uint64(len(apiIDAlphabet))
	}
	return string(id[:])
}

// validAPIID reports whether id has API Gateway's shape: 10 characters of a-z and 0-9.
func validAPIID(id string) bool {
	if len(id) != apiIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
