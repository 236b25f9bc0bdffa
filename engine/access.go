package engine

import (
	"time"

	"go.uber.org/zap"
)

// answered counts a finished HTTP or REST request (4xx answers are client errors) and writes its
// access log line, when access logging is on.
func (e *Engine) answered(q *httpRequest, status int) {
	if status == 0 {
		status = 200
	}
	rm := q.metrics
	if rm == nil {
		rm = e.metrics.route(q.stage, "")
	}
	rm.messaged()
	rm.answered(status, time.Since(q.time))
	if q.stage != nil && q.stage.access != nil {
		e.stageLog.Info(q.stage.access.render(accessVars(q.Context, status, q.time)))
	}
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

// integrationFailed notes an integration failure of an HTTP or REST request.
func (e *Engine) integrationFailed(q *httpRequest, err error) {
	e.warnIntegration("integration failed", q.api, stageName(q.stage), q.routeKey, q.requestID, err)
}

func stageName(s *Stage) string {
	if s == nil {
		return ""
	}
	return s.Name
}

// accessWebSocket writes a WebSocket event's access log line (node.accessLog, in Portico's own
// fields) and its stage's formatted line, when either is on.
func (e *Engine) accessWebSocket(r *wsRequest, status int) {
	if e.accessLog != nil {
		e.accessLog.Info("websocket",
			zap.String("requestId", r.requestID),
			zap.String("connectionId", r.conn.ID),
			zap.String("eventType", r.eventType),
			zap.String("routeKey", r.routeKey),
			zap.String("stage", stageName(r.stage)),
			zap.String("ip", r.conn.SourceIP),
			zap.Int("status", status),
			zap.Duration("latency", time.Since(r.time)),
		)
	}
	if r.stage == nil || r.stage.access == nil {
		return
	}
	e.stageLog.Info(r.stage.access.render(accessVars(r.Context, status, r.time)))
}
