package config

import (
	"time"

	"github.com/portico-gateway/portico/engine/integration"
	"github.com/portico-gateway/portico/transport"
)

// Defaults of the connection limits the actor system enforces; it falls back to these for zero
// options, so each is written once, here.
const (
	DefaultIdleTimeout           = 10 * time.Minute
	DefaultMaxConnectionDuration = 2 * time.Hour
	DefaultOutboundQueueBytes    = 1 << 20
)

// Defaults, as AWS sets them where AWS has one. The frame and handshake limits are transport's own
// defaults, so the two cannot disagree.
const (
	defaultListen                = ":8080"
	defaultAdmin                 = "127.0.0.1:8081"
	defaultNATSListen            = "127.0.0.1:4222"
	defaultRegion                = "us-east-1"
	defaultDrainTimeout          = 25 * time.Second
	defaultForwardTimeout        = 2 * time.Second
	defaultLogLevel              = "info"
	defaultMaxFrameBytes         = transport.DefaultMaxFrameBytes
	defaultMaxMessageBytes       = transport.DefaultMaxMessageBytes
	defaultIdleTimeout           = DefaultIdleTimeout
	defaultMaxConnectionDuration = DefaultMaxConnectionDuration
	defaultOutboundQueueBytes    = DefaultOutboundQueueBytes
	defaultWriteTimeout          = transport.DefaultWriteTimeout
	defaultHandshakeTimeout      = transport.DefaultHandshakeTimeout
	defaultMaxInflightPerConn    = 64
	defaultMaxInflightPerNode    = 10000
	defaultRouteSelection        = "$request.body.action"
	defaultTimeoutInMillis       = 29000
	defaultHTTPTimeoutInMillis   = 30000
	defaultStageName             = "$default"
	methodAny                    = "ANY"
)

// applyDefaults fills every zero field that has a default. It is the one place defaults live.
func (c *Config) applyDefaults() {
	n := &c.Node
	setString(&n.Listen, defaultListen)
	setString(&n.Admin, defaultAdmin)
	setString(&n.NATSListen, defaultNATSListen)
	setString(&n.Region, defaultRegion)
	setDuration(&n.DrainTimeout, defaultDrainTimeout)
	setString(&n.LogLevel, defaultLogLevel)
	setInt(&n.MaxInflightIntegrations, defaultMaxInflightPerNode)

	w := &c.WebSocket
	setInt(&w.MaxFrameBytes, defaultMaxFrameBytes)
	setInt(&w.MaxMessageBytes, defaultMaxMessageBytes)
	setDuration(&w.IdleTimeout, defaultIdleTimeout)
	setDuration(&w.MaxConnectionDuration, defaultMaxConnectionDuration)
	setInt(&w.OutboundQueueBytes, defaultOutboundQueueBytes)
	setDuration(&w.WriteTimeout, defaultWriteTimeout)
	setDuration(&w.HandshakeTimeout, defaultHandshakeTimeout)
	setInt(&w.MaxInflightPerConnection, defaultMaxInflightPerConn)

	setDuration(&c.ConnectionsAPI.ForwardTimeout, defaultForwardTimeout)

	for i := range c.APIs {
		a := &c.APIs[i]
		if a.APIID == "" && a.Name != "" {
			a.APIID = DeriveAPIID(a.Name)
		}
		switch a.ProtocolType {
		case ProtocolWebSocket:
			a.applyWebSocketDefaults()
		case ProtocolHTTP:
			a.applyHTTPDefaults()
		case ProtocolREST:
			a.applyRESTDefaults()
		}
	}
}

func (a *API) applyWebSocketDefaults() {
	setString(&a.RouteSelectionExpression, defaultRouteSelection)
	for j := range a.Routes {
		in := &a.Routes[j].Integration
		if t, ok := integration.Lookup(in.IntegrationType); ok {
			setString(&in.IntegrationMethod, t.DefaultMethod(ProtocolWebSocket, ""))
			setString(&in.PayloadFormatVersion, t.DefaultPayloadFormat(ProtocolWebSocket))
		}
		setInt(&in.TimeoutInMillis, defaultTimeoutInMillis)
		setString(&in.PassthroughBehavior, PassthroughWhenNoMatch)
	}
}

// applyHTTPDefaults also gives an HTTP API without stages the one $default stage API Gateway's
// quick create makes.
func (a *API) applyHTTPDefaults() {
	setString(&a.RouteSelectionExpression, HTTPRouteSelectionExpression)
	for j := range a.Routes {
		in := &a.Routes[j].Integration
		setInt(&in.TimeoutInMillis, defaultHTTPTimeoutInMillis)
		if t, ok := integration.Lookup(in.IntegrationType); ok {
			setString(&in.IntegrationMethod, t.DefaultMethod(ProtocolHTTP, ""))
			setString(&in.PayloadFormatVersion, t.DefaultPayloadFormat(ProtocolHTTP))
		}
	}
	if len(a.Stages) == 0 {
		a.Stages = []Stage{{StageName: defaultStageName}}
	}
}

func (a *API) applyRESTDefaults() {
	setString(&a.APIKeySource, APIKeySourceHeader)
	for j := range a.Resources {
		r := &a.Resources[j]
		for k := range r.Methods {
			m := &r.Methods[k]
			in := &m.Integration
			if t, ok := integration.Lookup(in.Type); ok {
				setString(&in.HTTPMethod, t.DefaultMethod(ProtocolREST, m.HTTPMethod))
			}
			setInt(&in.TimeoutInMillis, defaultTimeoutInMillis)
			setString(&in.PassthroughBehavior, PassthroughWhenNoMatch)
		}
	}
}

func setString(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

func setInt(n *int, v int) {
	if *n == 0 {
		*n = v
	}
}

func setDuration(d *Duration, v time.Duration) {
	if *d == 0 {
		*d = Duration(v)
	}
}
