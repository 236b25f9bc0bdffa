// Package transport is where client bytes enter Portico: it serves the client listener, answers plain
// HTTP requests through an http.Handler, upgrades WebSocket requests after the WebSocketHandler has
// decided on them, and turns frames into complete messages for a ConnHandler. Idle upgraded
// connections hold no goroutine: an epoll poller hands readable sockets to a bounded worker pool.
// The package knows nothing about routes or integrations; what a message means is decided above it.
package transport
