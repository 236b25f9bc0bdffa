package connections

import (
	"encoding/json"
	"time"
)

// ConnectionInfo is what GetConnection returns, in API Gateway's field names.
type ConnectionInfo struct {
	ConnectedAt  time.Time
	SourceIP     string
	UserAgent    string
	LastActiveAt time.Time
}

// timeLayout is the ISO 8601 form API Gateway uses: 2024-01-20T11:54:57.419Z.
const timeLayout = "2006-01-02T15:04:05.000Z"

type identityJSON struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

type connectionJSON struct {
	ConnectedAt  string       `json:"connectedAt"`
	Identity     identityJSON `json:"identity"`
	LastActiveAt string       `json:"lastActiveAt"`
}

// MarshalJSON writes {"connectedAt":"…Z","identity":{"sourceIp":…,"userAgent":…},"lastActiveAt":"…Z"}.
func (c ConnectionInfo) MarshalJSON() ([]byte, error) {
	return json.Marshal(connectionJSON{
		ConnectedAt:  c.ConnectedAt.UTC().Format(timeLayout),
		Identity:     identityJSON{SourceIP: c.SourceIP, UserAgent: c.UserAgent},
		LastActiveAt: c.LastActiveAt.UTC().Format(timeLayout),
	})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (c *ConnectionInfo) UnmarshalJSON(data []byte) error {
	var j connectionJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	var err error
	if c.ConnectedAt, err = time.Parse(time.RFC3339Nano, j.ConnectedAt); err != nil {
		return err
	}
	if c.LastActiveAt, err = time.Parse(time.RFC3339Nano, j.LastActiveAt); err != nil {
		return err
	}
	c.SourceIP, c.UserAgent = j.Identity.SourceIP, j.Identity.UserAgent
	return nil
}
