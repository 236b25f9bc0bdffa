package engine

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the engine's Prometheus counters, named after API Gateway's CloudWatch metrics
// (ConnectCount, MessageCount, IntegrationError, ClientError, IntegrationLatency). A nil *Metrics
// counts nothing.
type Metrics struct {
	ConnectCount       prometheus.Counter
	MessageCount       prometheus.Counter
	IntegrationError   prometheus.Counter
	ClientError        prometheus.Counter
	IntegrationLatency prometheus.Histogram
	// Throttled counts messages and requests refused because the in-flight bound of their
	// connection or of the node was reached, by scope.
	Throttled *prometheus.CounterVec
}

// NewMetrics creates the engine's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		ConnectCount: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portico", Name: "connect_count_total",
			Help: "WebSocket handshakes that reached the $connect route."}),
		MessageCount: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portico", Name: "message_count_total",
			Help: "WebSocket messages received from clients and HTTP and REST API requests."}),
		IntegrationError: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portico", Name: "integration_error_total",
			Help: "Integration calls that failed or timed out."}),
		ClientError: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portico", Name: "client_error_total",
			Help: "Messages and requests refused for the client's fault (no route, refused $connect, 4xx answers)."}),
		IntegrationLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "portico", Name: "integration_latency_seconds",
			Help: "Time integrations took to answer.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}),
		Throttled: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "portico", Name: "throttled_total",
			Help: "Messages and requests refused over an in-flight integration bound, by scope (connection, node)."}, []string{"scope"}),
	}
	for _, c := range []prometheus.Collector{m.ConnectCount, m.MessageCount, m.IntegrationError, m.ClientError, m.IntegrationLatency, m.Throttled} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) connect() {
	if m != nil {
		m.ConnectCount.Inc()
	}
}

func (m *Metrics) message() {
	if m != nil {
		m.MessageCount.Inc()
	}
}

func (m *Metrics) integrationError() {
	if m != nil {
		m.IntegrationError.Inc()
	}
}

func (m *Metrics) clientError() {
	if m != nil {
		m.ClientError.Inc()
	}
}

func (m *Metrics) integrationLatency(d time.Duration) {
	if m != nil {
		m.IntegrationLatency.Observe(d.Seconds())
	}
}

// clientErrorFor counts gateway answers with a 4xx status as client errors.
func (m *Metrics) clientErrorFor(status int) {
	if status >= 400 && status < 500 {
		m.clientError()
	}
}

func (m *Metrics) throttled(scope string) {
	if m != nil {
		m.Throttled.WithLabelValues(scope).Inc()
	}
}
