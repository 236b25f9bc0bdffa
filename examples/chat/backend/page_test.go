package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPageServesTheClientAtRootOnly(t *testing.T) {
	srv := httptest.NewServer(pageHandler())
	defer srv.Close()
	for _, tc := range []struct {
		path   string
		status int
	}{{"/", 200}, {"/index.html", 404}, {"/x", 404}} {
		resp, err := http.Get(srv.URL + tc.path)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, tc.status, resp.StatusCode, tc.path)
		if tc.status == 200 {
			require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			require.Contains(t, string(body), `value="ws://127.0.0.1:8080/prod"`)
			require.NotContains(t, string(body), "<script src", "no external assets")
		}
	}
}
