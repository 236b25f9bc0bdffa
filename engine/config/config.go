package config

// Config is one config file: node settings, WebSocket limits, @connections credentials and the
// API definitions. It is plain data; Parse fills in defaults and validates it, after which it is
// only read.
type Config struct {
	// Node holds the settings of this process. Zero value: every field's default.
	Node Node `yaml:"node,omitempty" json:"node,omitempty"`
	// WebSocket holds the limits of client WebSocket connections. Zero value: AWS's limits.
	WebSocket WebSocket `yaml:"websocket,omitempty" json:"websocket,omitempty"`
	// ConnectionsAPI configures the @connections callback API. Zero value: no credentials, so
	// only loopback callers may use it.
	ConnectionsAPI ConnectionsAPI `yaml:"connectionsApi,omitempty" json:"connectionsApi,omitempty"`
	// DefaultAPI is the name or apiId of the API used when Host names none. Zero value: the only
	// API, if there is exactly one.
	DefaultAPI string `yaml:"defaultApi,omitempty" json:"defaultApi,omitempty"`
	// APIs are the API definitions. Zero value: no APIs; the node then serves only the
	// @connections API and answers every other request as no API matches.
	APIs []API `yaml:"apis,omitempty" json:"apis,omitempty"`

	// File is the path the config was loaded from (not a YAML field). Zero value: the config
	// was built in code, and errors carry no position.
	File string `yaml:"-" json:"-"`

	// src maps field paths to positions in File; nil for a config built in code.
	src *source
}

// Node holds the settings of one gateway process. Each field is overridden by the command-line
// flag of the same name.
type Node struct {
	// Listen is the address for client traffic, HTTP and WebSocket. Zero value: ":8080".
	Listen string `yaml:"listen,omitempty" json:"listen,omitempty"`
	// Admin is the address for health, readiness, metrics and the admin API.
	// Zero value: "127.0.0.1:8081".
	Admin string `yaml:"admin,omitempty" json:"admin,omitempty"`
	// NATS is the NATS URL, or several comma-separated URLs, to connect to. Zero value: start
	// the embedded NATS server.
	NATS string `yaml:"nats,omitempty" json:"nats,omitempty"`
	// NATSListen is the client address of the embedded NATS server. Zero value: "127.0.0.1:4222".
	NATSListen string `yaml:"natsListen,omitempty" json:"natsListen,omitempty"`
	// NATSDataDir is the JetStream store directory of the embedded NATS server. Zero value: a
	// temporary directory removed on exit.
	NATSDataDir string `yaml:"natsDataDir,omitempty" json:"natsDataDir,omitempty"`
	// NodeID names this node in connection ids and NATS subjects. Zero value: the node picks a
	// random id when it starts.
	NodeID string `yaml:"nodeId,omitempty" json:"nodeId,omitempty"`
	// Region is used in domain names and the SigV4 scope. Zero value: "us-east-1".
	Region string `yaml:"region,omitempty" json:"region,omitempty"`
	// DrainTimeout bounds how long SIGTERM waits for connections to close. Zero value: 25s.
	DrainTimeout Duration `yaml:"drainTimeout,omitempty" json:"drainTimeout,omitempty"`
	// LogLevel is one of debug, info, warn, error. Zero value: "info".
	LogLevel string `yaml:"logLevel,omitempty" json:"logLevel,omitempty"`
	// AccessLog logs one line per HTTP and REST API request (request id, method, path, route key,
	// status, latency) and per WebSocket connect, message and disconnect. Zero value: off.
	AccessLog bool `yaml:"accessLog,omitempty" json:"accessLog,omitempty"`
	// MaxInflightIntegrations bounds the integration calls running at once on this node, for every
	// API; over it a WebSocket message gets the throttling error frame, an HTTP API request 429
	// {"message":"Too Many Requests"}, a REST request the THROTTLED gateway response. $disconnect
	// calls are not refused. Zero value: 10000.
	MaxInflightIntegrations int `yaml:"maxInflightIntegrations,omitempty" json:"maxInflightIntegrations,omitempty"`
	// TrustedProxies are the CIDRs (or single addresses) of reverse proxies whose X-Forwarded-For
	// and Forwarded headers are believed. Without credentials, the @connections API admits only
	// loopback callers, and a request carrying either header counts as one only when its peer is a
	// trusted proxy and the client the headers name is on loopback. Zero value: none, so every
	// forwarded request is refused there.
	TrustedProxies []string `yaml:"trustedProxies,omitempty" json:"trustedProxies,omitempty"`
	// Pprof serves Go's runtime profiles under /debug/pprof/ on the admin listener (behind
	// adminCredentials when set). Zero value: off, /debug/pprof/ answers 404.
	Pprof bool `yaml:"pprof,omitempty" json:"pprof,omitempty"`
	// AdminCredentials are the user name and password pairs (HTTP Basic) the admin listener's
	// /debug/pprof/ asks for. Zero value: none, so profiles (when enabled) are served to any caller
	// that reaches the admin listener.
	AdminCredentials []AdminCredential `yaml:"adminCredentials,omitempty" json:"adminCredentials,omitempty"`
}

// AdminCredential is one pair allowed on the admin listener's protected paths, checked with HTTP
// Basic authentication (user name = accessKeyId, password = secretAccessKey).
type AdminCredential struct {
	// AccessKeyID is the user name. Required.
	AccessKeyID string `yaml:"accessKeyId,omitempty" json:"accessKeyId,omitempty"`
	// SecretAccessKey is the password. Required.
	SecretAccessKey string `yaml:"secretAccessKey,omitempty" json:"secretAccessKey,omitempty"`
}

// WebSocket holds the limits applied to every client WebSocket connection.
type WebSocket struct {
	// MaxFrameBytes is the largest frame accepted. Zero value: 32768 (32 KiB).
	MaxFrameBytes int `yaml:"maxFrameBytes,omitempty" json:"maxFrameBytes,omitempty"`
	// MaxMessageBytes is the largest message accepted; larger ones close with 1009.
	// Zero value: 131072 (128 KiB).
	MaxMessageBytes int `yaml:"maxMessageBytes,omitempty" json:"maxMessageBytes,omitempty"`
	// IdleTimeout closes a connection that has sent nothing for this long. Zero value: 10m.
	IdleTimeout Duration `yaml:"idleTimeout,omitempty" json:"idleTimeout,omitempty"`
	// MaxConnectionDuration closes any connection after this long (1001 "Going away").
	// Zero value: 2h.
	MaxConnectionDuration Duration `yaml:"maxConnectionDuration,omitempty" json:"maxConnectionDuration,omitempty"`
	// OutboundQueueBytes bounds the bytes pending to one client; a client that does not read
	// past it is closed. Zero value: 1048576 (1 MiB).
	OutboundQueueBytes int `yaml:"outboundQueueBytes,omitempty" json:"outboundQueueBytes,omitempty"`
	// WriteTimeout bounds one write to a client. Zero value: 10s.
	WriteTimeout Duration `yaml:"writeTimeout,omitempty" json:"writeTimeout,omitempty"`
	// HandshakeTimeout bounds the WebSocket upgrade, $connect included. Zero value: 10s.
	HandshakeTimeout Duration `yaml:"handshakeTimeout,omitempty" json:"handshakeTimeout,omitempty"`
	// MaxInflightPerConnection bounds the integration calls one connection has running at once; a
	// message over it gets the throttling error frame ({"message": "Too Many Requests", ...}) and
	// the connection stays open. Zero value: 64.
	MaxInflightPerConnection int `yaml:"maxInflightPerConnection,omitempty" json:"maxInflightPerConnection,omitempty"`
}

// ConnectionsAPI configures the @connections callback API.
type ConnectionsAPI struct {
	// Credentials are the SigV4 key pairs accepted on @connections requests. Zero value: none,
	// so only loopback callers are allowed.
	Credentials []Credential `yaml:"credentials,omitempty" json:"credentials,omitempty"`
	// ForwardTimeout bounds a call for a connection on another node that is a member of the
	// cluster but does not answer; the caller then gets 503. A connection whose node is not a
	// member is answered 410 at once. Zero value: 2s.
	ForwardTimeout Duration `yaml:"forwardTimeout,omitempty" json:"forwardTimeout,omitempty"`
}

// Credential is one SigV4 key pair allowed to call the @connections API.
type Credential struct {
	// AccessKeyID is the access key id. Required.
	AccessKeyID string `yaml:"accessKeyId,omitempty" json:"accessKeyId,omitempty"`
	// SecretAccessKey is the secret that signs requests. Required.
	SecretAccessKey string `yaml:"secretAccessKey,omitempty" json:"secretAccessKey,omitempty"`
}
