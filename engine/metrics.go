package engine

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the engine's Prometheus metrics, named after API Gateway's CloudWatch metrics
// (ConnectCount, MessageCount, IntegrationError, ClientError, ExecutionError, 4XXError, 5XXError,
// IntegrationLatency, Latency) and labelled by api, stage and route. Route labels are route keys of
// the deployment (or "(none)" when nothing matched), never text from a request, so the number of
// series is bounded by the config. A nil *Metrics counts nothing.
type Metrics struct {
	ConnectCount       *prometheus.CounterVec
	MessageCount       *prometheus.CounterVec
	IntegrationError   *prometheus.CounterVec
	ClientError        *prometheus.CounterVec
	ExecutionError     *prometheus.CounterVec
	Error4XX           *prometheus.CounterVec
	Error5XX           *prometheus.CounterVec
	IntegrationLatency *prometheus.HistogramVec
	Latency            *prometheus.HistogramVec
	// Throttled counts messages and requests refused because the in-flight bound of their
	// connection or of the node was reached, by scope.
	Throttled *prometheus.CounterVec
	// DisconnectLost counts $disconnect events whose integration failed (NATS down, no responders,
	// timeout): lost, as nothing delivers them again.
	DisconnectLost prometheus.Counter
}

var routeLabelNames = []string{"api", "stage", "route"}

// noRoute is the route label of messages and requests no route matched.
const noRoute = "(none)"

// NewMetrics creates the engine's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "portico", Name: name, Help: help}, routeLabelNames)
	}
	buckets := prometheus.ExponentialBuckets(0.0001, 4, 10)
	m := &Metrics{
		ConnectCount:     counter("connect_count_total", "WebSocket handshakes that reached the $connect route."),
		MessageCount:     counter("message_count_total", "WebSocket messages received from clients and HTTP and REST API requests."),
		IntegrationError: counter("integration_error_total", "Integration calls that failed or timed out."),
		ClientError:      counter("client_error_total", "Messages and requests refused for the client's fault (no route, refused $connect, 4xx answers)."),
		ExecutionError:   counter("execution_error_total", "Messages and requests the gateway failed to carry out (templates that do not render, route responses over the limit, throttling)."),
		Error4XX:         counter("4xx_error_total", "HTTP and REST API answers with a 4xx status."),
		Error5XX:         counter("5xx_error_total", "HTTP and REST API answers with a 5xx status."),
		IntegrationLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "portico", Name: "integration_latency_seconds",
			Help: "Time integrations took to answer.", Buckets: buckets}, routeLabelNames),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "portico", Name: "latency_seconds",
			Help: "Time from receiving an HTTP or REST API request to its answer.", Buckets: buckets}, routeLabelNames),
		Throttled: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "portico", Name: "throttled_total",
			Help: "Messages and requests refused over an in-flight integration bound, by scope (connection, node)."}, []string{"scope"}),
		DisconnectLost: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portico", Name: "disconnect_lost_total",
			Help: "$disconnect events whose integration failed, so they never reached a backend."}),
	}
	for _, c := range []prometheus.Collector{m.ConnectCount, m.MessageCount, m.IntegrationError, m.ClientError, m.ExecutionError,
		m.Error4XX, m.Error5XX, m.IntegrationLatency, m.Latency, m.Throttled, m.DisconnectLost} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// routeMetrics are the metrics of one route of one stage, curried once so the per-message path
// does no label hashing. A nil *routeMetrics counts nothing.
type routeMetrics struct {
	connect, message, integrationError, clientError, executionError, err4xx, err5xx prometheus.Counter
	integrationLatency, latency                                                     prometheus.Observer
}

// stageMetrics caches a stage's routeMetrics by route key. It lives on the Stage, so a new
// deployment starts with a fresh cache.
type stageMetrics struct {
	routes sync.Map // route key -> *routeMetrics
}

// route returns the metrics of routeKey on st.
func (m *Metrics) route(st *Stage, routeKey string) *routeMetrics {
	if m == nil || st == nil {
		return nil
	}
	if routeKey == "" {
		routeKey = noRoute
	}
	if v, ok := st.metrics.routes.Load(routeKey); ok {
		return v.(*routeMetrics)
	}
	l := prometheus.Labels{"api": st.API.ID, "stage": st.Name, "route": routeKey}
	rm := &routeMetrics{
		connect: m.ConnectCount.With(l), message: m.MessageCount.With(l), integrationError: m.IntegrationError.With(l),
		clientError: m.ClientError.With(l), executionError: m.ExecutionError.With(l), err4xx: m.Error4XX.With(l),
		err5xx: m.Error5XX.With(l), integrationLatency: m.IntegrationLatency.With(l), latency: m.Latency.With(l),
	}
	v, _ := st.metrics.routes.LoadOrStore(routeKey, rm)
	return v.(*routeMetrics)
}

func (r *routeMetrics) inc(c func(*routeMetrics) prometheus.Counter) {
	if r != nil {
		c(r).Inc()
	}
}

func (r *routeMetrics) connected() {
	r.inc(func(r *routeMetrics) prometheus.Counter { return r.connect })
}
func (r *routeMetrics) messaged() {
	r.inc(func(r *routeMetrics) prometheus.Counter { return r.message })
}
func (r *routeMetrics) integrationFailed() {
	r.inc(func(r *routeMetrics) prometheus.Counter { return r.integrationError })
}
func (r *routeMetrics) clientFailed() {
	r.inc(func(r *routeMetrics) prometheus.Counter { return r.clientError })
}
func (r *routeMetrics) executionFailed() {
	r.inc(func(r *routeMetrics) prometheus.Counter { return r.executionError })
}
func (r *routeMetrics) integrationTook(d time.Duration) {
	if r != nil {
		r.integrationLatency.Observe(d.Seconds())
	}
}

// answered counts an HTTP or REST answer: 4xx (also a client error) or 5xx, and its latency.
func (r *routeMetrics) answered(status int, d time.Duration) {
	if r == nil {
		return
	}
	switch {
	case status >= 400 && status < 500:
		r.err4xx.Inc()
		r.clientError.Inc()
	case status >= 500:
		r.err5xx.Inc()
	}
	r.latency.Observe(d.Seconds())
}

func (m *Metrics) throttled(scope string) {
	if m != nil {
		m.Throttled.WithLabelValues(scope).Inc()
	}
}

func (m *Metrics) disconnectLost() {
	if m != nil {
		m.DisconnectLost.Inc()
	}
}
