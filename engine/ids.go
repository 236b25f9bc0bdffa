package engine

import "github.com/portico-gateway/portico/engine/events"

// NewRequestID returns an API Gateway style request id: 16 characters of URL-safe base64 ending in
// "=" (11 random bytes), like "LV7fzho-PHcEJPw=".
func NewRequestID() string { return events.NewRequestID() }
