package testutil

import (
	"os"

	"go.uber.org/zap/zapcore"
)

// zapLevel is the level of node logs in tests: warnings, or PORTICO_TEST_LOG (debug, info, ...).
func zapLevel() zapcore.Level {
	lvl := zapcore.WarnLevel
	if v := os.Getenv("PORTICO_TEST_LOG"); v != "" {
		_ = lvl.Set(v)
	}
	return lvl
}
