package config

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/require"
)

func TestDurationReadsStringsAndMilliseconds(t *testing.T) {
	tests := []struct {
		yaml string
		want time.Duration
	}{
		{`10m`, 10 * time.Minute},
		{`"29s"`, 29 * time.Second},
		{`1h30m`, 90 * time.Minute},
		{`1.5s`, 1500 * time.Millisecond},
		{`29000`, 29 * time.Second},
		{`0`, 0},
		{`~`, 0},
		{"|\n    45s\n", 45 * time.Second},
		{`!!str 2m`, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			c, err := Parse("d.yaml", []byte("websocket:\n  idleTimeout: "+tt.yaml+"\n"))
			require.NoError(t, err)
			if tt.want == 0 {
				tt.want = defaultIdleTimeout
			}
			require.Equal(t, tt.want, c.WebSocket.IdleTimeout.Std())
		})
	}
}

func TestDurationRejectsOtherForms(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{`soon`, `d.yaml:2:16: websocket.idleTimeout: "soon": expected a duration like "10s" or a number of milliseconds`},
		{`"29000"`, `d.yaml:2:16: websocket.idleTimeout: "29000": expected a duration like "10s" or a number of milliseconds`},
		{`1.5`, `d.yaml:2:16: websocket.idleTimeout: expected a duration like "10s" or a number of milliseconds, got a number`},
		{`true`, `d.yaml:2:16: websocket.idleTimeout: expected a duration like "10s" or a number of milliseconds, got a boolean`},
		{`{ s: 1 }`, `d.yaml:2:16: websocket.idleTimeout: expected a duration like "10s" or a number of milliseconds, got a mapping`},
		{`99999999999999999`, `d.yaml:2:16: websocket.idleTimeout: 99999999999999999 milliseconds is out of range`},
		{`-99999999999999999`, `d.yaml:2:16: websocket.idleTimeout: -99999999999999999 milliseconds is out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			_, err := Parse("d.yaml", []byte("websocket:\n  idleTimeout: "+tt.yaml+"\n"))
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestDurationWritesGoDurationStrings(t *testing.T) {
	d := Duration(90 * time.Second)
	require.Equal(t, "1m30s", d.String())

	y, err := yaml.Marshal(map[string]Duration{"t": d})
	require.NoError(t, err)
	require.Equal(t, "t: 1m30s\n", string(y))

	j, err := json.Marshal(map[string]Duration{"t": d})
	require.NoError(t, err)
	require.JSONEq(t, `{"t": "1m30s"}`, string(j))
}

func TestDurationFromJSON(t *testing.T) {
	tests := []struct {
		json string
		want time.Duration
		err  string
	}{
		{json: `"10m"`, want: 10 * time.Minute},
		{json: `2500`, want: 2500 * time.Millisecond},
		{json: `null`, want: 0},
		{json: `"10 minutes"`, err: `"10 minutes": expected a duration like "10s" or a number of milliseconds`},
		{json: `1.5`, err: `1.5: expected a duration like "10s" or a number of milliseconds`},
		{json: `1e300`, err: `1e+300 milliseconds is out of range`},
		{json: `true`, err: `expected a duration like "10s" or a number of milliseconds, got true`},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			d := Duration(time.Hour)
			err := json.Unmarshal([]byte(tt.json), &d)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, d.Std())
		})
	}
}
