package integration

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// API kinds, as protocolType spells them.
const (
	ProtocolWebSocket = "WEBSOCKET"
	ProtocolHTTP      = "HTTP"
	ProtocolREST      = "REST"
)

// Payload says what an adapter sends an integration type.
type Payload uint8

const (
	// PayloadTemplate: the route's rendered template (MOCK).
	PayloadTemplate Payload = iota
	// PayloadEvent: the API kind's Lambda proxy event; the answer is a Lambda proxy response.
	PayloadEvent
	// PayloadHTTP: an HTTP request (method, URL, headers, body); the answer is the backend's.
	PayloadHTTP
)

// Target says what an integration's URI names.
type Target uint8

const (
	TargetNone    Target = iota // no URI (MOCK)
	TargetSubject               // a NATS subject
	TargetURL                   // an http(s) URL, ${stageVariables.x} and {param} allowed
)

// Type is one integration type: how adapters talk to it, where it is offered, its defaults and the
// constructor of its invokers. Config validation, defaults and compilation all read it, so an
// integration type lives in one place.
type Type struct {
	// Name is integrationType (apigatewayv2) or type (REST), e.g. "NATS".
	Name    string
	Payload Payload
	// Proxy is true when the request passes through without mapping templates (HTTP_PROXY, NATS).
	Proxy  bool
	Target Target
	// Protocols are the API kinds that offer the type.
	Protocols []string
	// NotIn explains, for an API kind that does not offer it, why (else a generic message).
	NotIn map[string]string
	// New builds an invoker for one route.
	New func(Spec) (Invoker, error)
}

// Spec is what New builds an invoker from.
type Spec struct {
	// Protocol is the API kind of the route.
	Protocol string
	// URI is the integration URI as configured (stage variables and parameters not substituted).
	URI string
	// Stream asks an HTTP type for the streaming proxy (HTTP_PROXY of HTTP and REST APIs).
	Stream bool
	Deps   Deps
}

// Deps are the node's ways to reach backends.
type Deps struct {
	NATS      NATSConn
	NATSState LinkState
	// Transport carries HTTP integrations; nil: http.DefaultTransport.
	Transport http.RoundTripper
}

var (
	registry = map[string]*Type{}
	order    []*Type
)

// The built-in types, in the order messages list them.
func init() {
	for _, t := range []*Type{Mock, NATS, HTTPProxy, HTTP} {
		Register(t)
	}
}

// Register adds an integration type; a type in its own file registers itself from an init function.
// A duplicate name panics.
func Register(t *Type) {
	if _, dup := registry[t.Name]; dup {
		panic("integration: type registered twice: " + t.Name)
	}
	registry[t.Name] = t
	order = append(order, t)
}

// Lookup returns the integration type named name.
func Lookup(name string) (*Type, bool) {
	t, ok := registry[name]
	return t, ok
}

// Offers reports whether the type is available in APIs of the protocol.
func (t *Type) Offers(protocol string) bool { return slices.Contains(t.Protocols, protocol) }

// Check reports why the type cannot be used in an API of the protocol, or nil.
func (t *Type) Check(protocol string) error {
	if t.Offers(protocol) {
		return nil
	}
	if msg, ok := t.NotIn[protocol]; ok {
		return fmt.Errorf("%s", msg)
	}
	return fmt.Errorf("integration type %s is not available in %s APIs", t.Name, protocol)
}

// DefaultMethod is the integration method of an HTTP type when none is set: POST for WebSocket
// routes, ANY (the request's) for HTTP APIs, the method's own for REST. Empty for types that do
// not call an HTTP backend.
func (t *Type) DefaultMethod(protocol, routeMethod string) string {
	if t.Target != TargetURL {
		return ""
	}
	switch protocol {
	case ProtocolWebSocket:
		return http.MethodPost
	case ProtocolHTTP:
		return "ANY"
	}
	return routeMethod
}

// DefaultPayloadFormat is the payloadFormatVersion of a route of the protocol: HTTP APIs send
// payload 2.0 to functions and 1.0 to HTTP proxies; WebSocket APIs have 1.0 alone. REST has none.
func (t *Type) DefaultPayloadFormat(protocol string) string {
	switch protocol {
	case ProtocolWebSocket:
		return "1.0"
	case ProtocolHTTP:
		if t.Payload == PayloadHTTP {
			return "1.0"
		}
		return "2.0"
	}
	return ""
}

// Names lists the types offered in APIs of the protocol, for messages: "MOCK, NATS, HTTP_PROXY".
func Names(protocol string) string {
	var names []string
	for _, t := range order {
		if t.Offers(protocol) {
			names = append(names, t.Name)
		}
	}
	return strings.Join(names, ", ")
}
