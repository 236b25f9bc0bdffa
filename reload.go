package portico

import (
	"slices"
	"time"

	"go.uber.org/zap"

	"github.com/portico-gateway/portico/actors"
	"github.com/portico-gateway/portico/callbacks"
	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/engine/config"
)

// ReloadResult says what a Reload did with the settings that changed, by their config paths
// ("connectionsApi.credentials", "node.listen").
type ReloadResult struct {
	// Applied are the settings now in force: "deployment" (the APIs, always rebuilt) and every
	// changed setting the node applies live.
	Applied []string
	// NotReloadable are the settings that changed but keep their running value until the node
	// restarts.
	NotReloadable []string
}

// setting is one config value Reload compares; apply, when set, puts a changed value in force.
type setting struct {
	path    string
	changed func(old, next *config.Config) bool
	apply   func(n *Node, next *config.Config)
}

func field[T comparable](get func(*config.Config) T) func(old, next *config.Config) bool {
	return func(old, next *config.Config) bool { return get(old) != get(next) }
}

// settings are every node, websocket and connectionsApi setting, in config order. Those without apply
// are bound at start: listeners, NATS, the node's id, the transport's frame limits, the logger.
var settings = []setting{
	{path: "node.listen", changed: field(func(c *config.Config) string { return c.Node.Listen })},
	{path: "node.admin", changed: field(func(c *config.Config) string { return c.Node.Admin })},
	{path: "node.nats", changed: field(func(c *config.Config) string { return c.Node.NATS })},
	{path: "node.natsListen", changed: field(func(c *config.Config) string { return c.Node.NATSListen })},
	{path: "node.natsDataDir", changed: field(func(c *config.Config) string { return c.Node.NATSDataDir })},
	{path: "node.nodeId", changed: field(func(c *config.Config) string { return c.Node.NodeID })},
	{path: "node.region", changed: field(func(c *config.Config) string { return c.Node.Region })},
	{path: "node.drainTimeout", changed: field(func(c *config.Config) config.Duration { return c.Node.DrainTimeout })},
	{path: "node.logLevel", changed: field(func(c *config.Config) string { return c.Node.LogLevel })},
	{path: "node.accessLog", changed: field(func(c *config.Config) bool { return c.Node.AccessLog })},
	{path: "node.trustedProxies",
		changed: func(old, next *config.Config) bool {
			return !slices.Equal(old.Node.TrustedProxies, next.Node.TrustedProxies)
		},
		apply: func(n *Node, next *config.Config) {
			n.callbacks.SetTrustedProxies(next.Node.TrustedProxyPrefixes())
		}},
	{path: "node.pprof", changed: field(func(c *config.Config) bool { return c.Node.Pprof }), apply: (*Node).setAdminAccess},
	{path: "node.adminCredentials",
		changed: func(old, next *config.Config) bool {
			return !slices.Equal(old.Node.AdminCredentials, next.Node.AdminCredentials)
		},
		apply: (*Node).setAdminAccess},
	{path: "websocket.maxFrameBytes", changed: field(func(c *config.Config) int { return c.WebSocket.MaxFrameBytes })},
	{path: "websocket.maxMessageBytes", changed: field(func(c *config.Config) int { return c.WebSocket.MaxMessageBytes })},
	{path: "websocket.idleTimeout", changed: field(func(c *config.Config) config.Duration { return c.WebSocket.IdleTimeout }),
		apply: (*Node).applyLimits},
	{path: "websocket.maxConnectionDuration", changed: field(func(c *config.Config) config.Duration { return c.WebSocket.MaxConnectionDuration }),
		apply: (*Node).applyLimits},
	{path: "websocket.outboundQueueBytes", changed: field(func(c *config.Config) int { return c.WebSocket.OutboundQueueBytes }),
		apply: (*Node).applyLimits},
	{path: "websocket.writeTimeout", changed: field(func(c *config.Config) config.Duration { return c.WebSocket.WriteTimeout })},
	{path: "websocket.handshakeTimeout", changed: field(func(c *config.Config) config.Duration { return c.WebSocket.HandshakeTimeout })},
	{path: "connectionsApi.credentials",
		changed: func(old, next *config.Config) bool {
			return !slices.Equal(old.ConnectionsAPI.Credentials, next.ConnectionsAPI.Credentials)
		},
		apply: func(n *Node, next *config.Config) { n.callbacks.SetCredentials(credentials(next)) }},
	{path: "connectionsApi.forwardTimeout", changed: field(func(c *config.Config) config.Duration { return c.ConnectionsAPI.ForwardTimeout }),
		apply: func(n *Node, next *config.Config) {
			n.callbacks.SetRemoteTimeout(time.Duration(next.ConnectionsAPI.ForwardTimeout))
		}},
}

// Reload applies cfg to the running node. It builds a new deployment from cfg and swaps it in
// atomically: requests in flight finish on the old one, new requests and connections use the new
// one, and open WebSocket connections stay up on the stage they connected to. Of the other
// settings, it applies @connections credentials (the SigV4 verifier is swapped atomically), the
// @connections forward timeout and the
// connection limits idleTimeout, maxConnectionDuration and outboundQueueBytes (for every
// connection, open ones included); every other changed node or websocket setting is reported in
// NotReloadable, logged at warn, and keeps its running value until a restart. A cfg whose
// deployment does not compile changes nothing and returns the error.
func (n *Node) Reload(cfg *config.Config) (ReloadResult, error) {
	n.reloadMu.Lock()
	defer n.reloadMu.Unlock()
	dep, err := engine.Compile(cfg, n.deps)
	if err != nil {
		return ReloadResult{}, err
	}
	old := n.running
	running := *cfg
	var res ReloadResult
	applied := map[string]bool{}
	for _, s := range settings {
		if !s.changed(old, cfg) {
			continue
		}
		if s.apply == nil {
			res.NotReloadable = append(res.NotReloadable, s.path)
			n.log.Warn("not reloadable: "+s.path+"; the running value stays until restart", zap.String("setting", s.path))
			continue
		}
		res.Applied = append(res.Applied, s.path)
		applied[s.path] = true
	}
	// Settings that are not reloaded keep their running values in the config in force, so a later
	// reload compares against what actually runs.
	running.Node = old.Node
	running.Node.TrustedProxies = cfg.Node.TrustedProxies
	running.Node.Pprof, running.Node.AdminCredentials = cfg.Node.Pprof, cfg.Node.AdminCredentials
	running.WebSocket.MaxFrameBytes, running.WebSocket.MaxMessageBytes = old.WebSocket.MaxFrameBytes, old.WebSocket.MaxMessageBytes
	running.WebSocket.WriteTimeout, running.WebSocket.HandshakeTimeout = old.WebSocket.WriteTimeout, old.WebSocket.HandshakeTimeout
	for _, s := range settings {
		if applied[s.path] {
			s.apply(n, cfg) // idempotent: the three limits share one apply
		}
	}
	n.engine.Deploy(dep)
	n.running = &running
	res.Applied = append([]string{"deployment"}, res.Applied...)
	n.log.Info("config reloaded", zap.Int("apis", len(dep.APIs)), zap.Strings("applied", res.Applied),
		zap.Strings("notReloadable", res.NotReloadable))
	return res, nil
}

// applyLimits puts the websocket connection limits of cfg in force.
func (n *Node) applyLimits(cfg *config.Config) {
	w := cfg.WebSocket
	n.actors.SetLimits(actors.Limits{
		IdleTimeout:           time.Duration(w.IdleTimeout),
		MaxConnectionDuration: time.Duration(w.MaxConnectionDuration),
		OutboundQueueBytes:    w.OutboundQueueBytes,
	})
}

// credentials are the @connections API's credentials in cfg.
func credentials(cfg *config.Config) []callbacks.Credential {
	creds := make([]callbacks.Credential, 0, len(cfg.ConnectionsAPI.Credentials))
	for _, c := range cfg.ConnectionsAPI.Credentials {
		creds = append(creds, callbacks.Credential{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey})
	}
	return creds
}
