package engine

import (
	"sync"
	"time"

	"go.uber.org/zap"
)

// warnLimiter rate-limits warnings a client or a backend can trigger at will: a token bucket of
// burst warnings refilled at rate per second. Warnings over it are counted and the count is reported
// with the next warning let through, so failures are never silent and never flood the log.
type warnLimiter struct {
	mu         sync.Mutex
	tokens     float64
	last       time.Time
	suppressed int
	rate       float64
	burst      float64
}

func newWarnLimiter(rate, burst float64) *warnLimiter {
	return &warnLimiter{rate: rate, burst: burst, tokens: burst}
}

// allow reports whether a warning may be written now, and how many were held back before it.
func (l *warnLimiter) allow(now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() {
		l.tokens += now.Sub(l.last).Seconds() * l.rate
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
	}
	l.last = now
	if l.tokens < 1 {
		l.suppressed++
		return false, 0
	}
	l.tokens--
	n := l.suppressed
	l.suppressed = 0
	return true, n
}

// warnIntegration logs a failed integration at warn, rate-limited, naming the API, stage, route and
// request.
func (e *Engine) warnIntegration(msg string, api *API, stage, routeKey, requestID string, err error, extra ...zap.Field) {
	ok, held := e.warns.allow(time.Now())
	if !ok {
		return
	}
	fields := append([]zap.Field{zap.String("apiId", api.ID), zap.String("stage", stage), zap.String("routeKey", routeKey),
		zap.String("requestId", requestID), zap.Error(err)}, extra...)
	if held > 0 {
		fields = append(fields, zap.Int("suppressed", held))
	}
	e.log.Warn(msg, fields...)
}
