package engine

import (
	"encoding/base64"
	"math/rand/v2"
)

// NewRequestID returns an API Gateway style request id: 16 characters of URL-safe base64 ending in
// "=" (11 random bytes), like "LV7fzho-PHcEJPw=". Request ids need to be unique, not secret, so they
// come from the runtime's fast per-thread generator.
func NewRequestID() string {
	var b [11]byte
	x, y := rand.Uint64(), rand.Uint64()
	for i := 0; i < 8; i++ {
		b[i] = byte(x >> (8 * i))
	}
	for i := 8; i < 11; i++ {
		b[i] = byte(y >> (8 * (i - 8)))
	}
	var out [16]byte
	base64.URLEncoding.Encode(out[:], b[:])
	return string(out[:])
}
