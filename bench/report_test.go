package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReportPrintsJSONLinesThenTable(t *testing.T) {
	var out bytes.Buffer
	r := newReport(&out)
	require.NoError(t, r.add(newMeasurement("echo", "messages-per-second", "msg/s (higher is better)", 50000, 100000, map[string]any{"conns": 100})))
	require.NoError(t, r.add(newMeasurement("idle", "goroutines-per-conn", "goroutines/conn (lower is better)", 1, 0, nil)))
	r.fail("portico exited")
	r.table()

	lines := strings.Split(out.String(), "\n")
	var m measurement
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &m))
	require.Equal(t, "echo", m.Scenario)
	require.Equal(t, 0.5, *m.Ratio)
	require.Equal(t, "messages-per-second", m.Params["figure"])
	require.Contains(t, lines[1], `"ratio":null`)
	require.Contains(t, out.String(), "| echo | messages-per-second | conns=100 | 50000 | 100000 | 0.5 | msg/s (higher is better) |")
	require.Contains(t, out.String(), "**problem:** portico exited")
}

func TestRoundKeepsFourSignificantDigits(t *testing.T) {
	tests := []struct{ in, want float64 }{{0, 0}, {123456, 123500}, {0.0123456, 0.01235}, {-2.5, -2.5}}
	for _, tt := range tests {
		require.InDelta(t, tt.want, round(tt.in), 1e-9)
	}
}
