package events

import (
	"encoding/base64"
	"math/rand/v2"
)

// NewRequestID returns an API Gateway style request id: 16 characters of URL-safe base64 ending in
// "=" (11 random bytes), like "LV7fzho-PHcEJPw=". Request ids need to be unique, not secret, so they
// come from the runtime's fast per-thread generator.
func NewRequestID() string {
	var b [11]byte
	FillRandom(b[:])
	var out [16]byte
	base64.URLEncoding.Encode(out[:], b[:])
	return string(out[:])
}

// FillRandom fills b (at most 16 bytes) from the runtime's fast generator: for ids that must be
// unique, not secret.
func FillRandom(b []byte) {
	x, y := rand.Uint64(), rand.Uint64()
	for i := range b {
		if i < 8 {
			b[i] = byte(x >> (8 * i))
		} else {
			b[i] = byte(y >> (8 * (i - 8)))
		}
	}
}
