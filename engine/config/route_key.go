package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// defaultRouteKey is the route key of the route that takes what no other route matches.
const defaultRouteKey = "$default"

// routeMethods returns the methods an HTTP route key or a REST method may name; ANY stands for
// every method without a route or method of its own.
func routeMethods() []string {
	return []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", methodAny}
}

// checkRouteKey checks the shape of a route key. WEBSOCKET route keys are free text; an HTTP route
// key is $default or "METHOD /path". Path templates ({id}, {proxy+}) are checked by the engine
// when it builds the route table.
func checkRouteKey(protocol, key string) error {
	if protocol != ProtocolHTTP || key == defaultRouteKey {
		return nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return errors.New(`must be $default or "METHOD /path"`)
	}
	if methods := routeMethods(); !oneOf(method, methods) {
		return fmt.Errorf("method %q must be one of %s", method, strings.Join(methods, ", "))
	}
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf(`path %q must start with "/"`, path)
	}
	if strings.IndexFunc(path, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("path %q must not contain whitespace or control characters", path)
	}
	return nil
}
