package portico_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine"
)

// TestGrafanaDashboardQueriesOnlyMetricsTheNodeExports keeps deploy/grafana/portico.json in step
// with the metrics: every portico_* name a panel queries is one the engine or the node registers.
func TestGrafanaDashboardQueriesOnlyMetricsTheNodeExports(t *testing.T) {
	raw, err := os.ReadFile("deploy/grafana/portico.json")
	require.NoError(t, err)
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(raw, &d))
	require.NotEmpty(t, d.Panels)

	reg := prometheus.NewRegistry()
	m, err := engine.NewMetrics(reg)
	require.NoError(t, err)
	m.Throttled.WithLabelValues("node")
	for _, v := range []*prometheus.CounterVec{m.ConnectCount, m.MessageCount, m.IntegrationError, m.ClientError, m.ExecutionError, m.Error4XX, m.Error5XX} {
		v.WithLabelValues("a", "s", "r")
	}
	m.IntegrationLatency.WithLabelValues("a", "s", "r")
	m.Latency.WithLabelValues("a", "s", "r")
	families, err := reg.Gather()
	require.NoError(t, err)
	known := map[string]bool{"portico_connections": true, "portico_integrations_inflight": true}
	for _, f := range families {
		known[f.GetName()] = true
		known[f.GetName()+"_bucket"] = true
	}
	name := regexp.MustCompile(`portico_[a-z0-9_]+`)
	for _, p := range d.Panels {
		require.NotEmpty(t, p.Targets, p.Title)
		for _, tg := range p.Targets {
			for _, n := range name.FindAllString(tg.Expr, -1) {
				require.True(t, known[n], "panel %q queries %s, which no node exports", p.Title, n)
			}
		}
	}
}
