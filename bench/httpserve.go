package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// backendBody is what the http scenario's backend answers to every request.
const backendBody = `{"ok":true,"from":"bench-backend","pad":"abcdefghijklmnopqrstuvwxyz"}`

// backendHandler answers every request with 200 and backendBody; /readyz is one of them.
func backendHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(backendBody))
	})
}

// reverseProxy is net/http/httputil.ReverseProxy in front of upstream, with as many idle
// connections per host as the load client runs requests at once.
func reverseProxy(upstream string, idlePerHost int) (http.Handler, error) {
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme != "http" || !strings.HasPrefix(u.Host, "127.") {
		return nil, fmt.Errorf("-upstream %q: want http:// on 127.0.0.0/8", upstream)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = max(tr.MaxIdleConns, 2*idlePerHost)
	tr.MaxIdleConnsPerHost = idlePerHost
	p := httputil.NewSingleHostReverseProxy(u)
	p.Transport = tr
	return p, nil
}

// serveHTTPUntilSignal serves h on listen until SIGTERM or SIGINT: the -serve-backend and
// -serve-proxy modes.
func serveHTTPUntilSignal(listen string, h http.Handler) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
