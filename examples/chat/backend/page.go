package main

import (
	_ "embed"
	"net/http"
)

// indexHTML is the browser client: plain JavaScript, no external assets.
//
//go:embed index.html
var indexHTML []byte

// pageHandler serves the browser client at / and nothing else.
func pageHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(indexHTML)
	})
	return mux
}
