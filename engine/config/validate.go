package config

import (
	"fmt"
	"strings"
)

// Validate checks the whole config and returns every problem as *Errors, each naming its field
// path and, for a parsed config, its file position; nil when the config is valid. Zero values are
// accepted where a default applies, so a config built in code validates the same before and
// after Parse's defaults. Selection expressions and templates are left to the engine.
func (c *Config) Validate() error {
	p := &problems{c: c}
	c.validateNode(p)
	c.validateNodeAccess(p)
	c.validateWebSocket(p)
	c.validateCredentials(p)
	c.validateAPIs(p)
	c.validateDefaultAPI(p)
	return p.err()
}

func (c *Config) validateNode(p *problems) {
	positiveDuration(p, "node.drainTimeout", c.Node.DrainTimeout)
	positiveInt(p, "node.maxInflightIntegrations", c.Node.MaxInflightIntegrations)
	levels := []string{"debug", "info", "warn", "error"}
	if l := c.Node.LogLevel; l != "" && !oneOf(l, levels) {
		p.add("node.logLevel", "must be one of %s", strings.Join(levels, ", "))
	}
}

func (c *Config) validateWebSocket(p *problems) {
	w := c.WebSocket
	positiveInt(p, "websocket.maxFrameBytes", w.MaxFrameBytes)
	positiveInt(p, "websocket.maxMessageBytes", w.MaxMessageBytes)
	positiveInt(p, "websocket.outboundQueueBytes", w.OutboundQueueBytes)
	positiveDuration(p, "websocket.idleTimeout", w.IdleTimeout)
	positiveDuration(p, "websocket.maxConnectionDuration", w.MaxConnectionDuration)
	positiveDuration(p, "websocket.writeTimeout", w.WriteTimeout)
	positiveDuration(p, "websocket.handshakeTimeout", w.HandshakeTimeout)
	positiveInt(p, "websocket.maxInflightPerConnection", w.MaxInflightPerConnection)
	frame, msg := orInt(w.MaxFrameBytes, defaultMaxFrameBytes), orInt(w.MaxMessageBytes, defaultMaxMessageBytes)
	if frame > 0 && msg > 0 && frame > msg {
		p.add("websocket.maxFrameBytes", "must not exceed maxMessageBytes (%d)", msg)
	}
}

func (c *Config) validateCredentials(p *problems) {
	seen := map[string]int{}
	positiveDuration(p, "connectionsApi.forwardTimeout", c.ConnectionsAPI.ForwardTimeout)
	for i, cr := range c.ConnectionsAPI.Credentials {
		path := fmt.Sprintf("connectionsApi.credentials[%d]", i)
		if cr.AccessKeyID == "" {
			p.add(path+".accessKeyId", "required")
		} else if j, dup := seen[cr.AccessKeyID]; dup {
			p.add(path+".accessKeyId", "%q is already used by connectionsApi.credentials[%d]", cr.AccessKeyID, j)
		} else {
			seen[cr.AccessKeyID] = i
		}
		if cr.SecretAccessKey == "" {
			p.add(path+".secretAccessKey", "required")
		}
	}
}

func (c *Config) validateDefaultAPI(p *problems) {
	if c.DefaultAPI == "" {
		return
	}
	for i := range c.APIs {
		if a := &c.APIs[i]; a.Name == c.DefaultAPI || (a.Name != "" || a.APIID != "") && a.ID() == c.DefaultAPI {
			return
		}
	}
	p.add("defaultApi", "no api has name or apiId %q", c.DefaultAPI)
}

func positiveInt(p *problems, path string, n int) {
	if n < 0 {
		p.add(path, "must be positive")
	}
}

func positiveDuration(p *problems, path string, d Duration) {
	if d < 0 {
		p.add(path, "must be positive")
	}
}

func orInt(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}
