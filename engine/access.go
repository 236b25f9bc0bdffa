package engine

import (
	"time"

	"go.uber.org/zap"
)

// access writes one access log line for an HTTP or REST request, when access logging is on.
func (e *Engine) access(q *httpRequest, status int) {
	if e.accessLog == nil {
		return
	}
	e.accessLog.Info("request",
		zap.String("requestId", q.requestID),
		zap.String("ip", q.sourceIP),
		zap.String("httpMethod", q.r.Method),
		zap.String("path", q.rawPath),
		zap.String("routeKey", q.routeKey),
		zap.String("stage", stageName(q.stage)),
		zap.Int("status", status),
		zap.Duration("latency", time.Since(q.time)),
	)
}

func stageName(s *Stage) string {
	if s == nil {
		return ""
	}
	return s.Name
}

func errField(err error) zap.Field { return zap.Error(err) }
