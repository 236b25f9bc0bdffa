package transport

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"go.uber.org/zap"
)

// Defaults applied to zero fields of Limits and Config.
const (
	DefaultMaxFrameBytes    = 32 << 10
	DefaultMaxMessageBytes  = 128 << 10
	DefaultReadTimeout      = 30 * time.Second
	DefaultWriteTimeout     = 10 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultMaxHeaderBytes is API Gateway's limit on a request's line and headers.
	DefaultMaxHeaderBytes = 10240
)

// closeWriteTimeout bounds the write of a close frame.
const closeWriteTimeout = time.Second

// Limits bound what one client may send and how long the server waits on it.
type Limits struct {
	// MaxFrameBytes is the largest frame payload accepted; a larger frame closes the connection with
	// 1009. Zero value means 32768.
	MaxFrameBytes int
	// MaxMessageBytes is the largest message (sum of its fragments) accepted; a larger one closes the
	// connection with 1009. Zero value means 131072.
	MaxMessageBytes int
	// AllowBinary accepts binary messages. False: a binary message closes the connection with 1003.
	AllowBinary bool
	// ReadTimeout is the time allowed to finish a frame once its first byte arrived; when it runs
	// out the connection is closed with 1008 "read timeout". Zero value means 30 seconds.
	ReadTimeout time.Duration
	// WriteTimeout bounds each frame write; a write that misses it closes the connection (1006).
	// Zero value means 10 seconds.
	WriteTimeout time.Duration
	// HandshakeTimeout is the read timeout for the upgrade request (and any plain request's header).
	// Zero value means 10 seconds.
	HandshakeTimeout time.Duration
	// MaxHeaderBytes bounds a request's line and headers (API Gateway's 10240 bytes); larger
	// requests get 431. Zero means 10240.
	MaxHeaderBytes int
}

// Config configures a Server.
type Config struct {
	Limits Limits
	// Workers is the number of frame-reading workers. Zero value means 4*GOMAXPROCS.
	Workers int
	// Logger receives the transport's logs. Nil means zap.NewNop().
	Logger *zap.Logger
}

// withDefaults returns cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	l := &cfg.Limits
	if l.MaxFrameBytes == 0 {
		l.MaxFrameBytes = DefaultMaxFrameBytes
	}
	if l.MaxMessageBytes == 0 {
		l.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if l.ReadTimeout == 0 {
		l.ReadTimeout = DefaultReadTimeout
	}
	if l.WriteTimeout == 0 {
		l.WriteTimeout = DefaultWriteTimeout
	}
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.HandshakeTimeout == 0 {
		l.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.Workers == 0 {
		cfg.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return cfg
}

// validate returns every problem of cfg, each naming its field.
func (cfg Config) validate() error {
	var errs []error
	negative := func(name string, v int64) {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative, got %d", name, v))
		}
	}
	l := cfg.Limits
	negative("limits.maxFrameBytes", int64(l.MaxFrameBytes))
	negative("limits.maxMessageBytes", int64(l.MaxMessageBytes))
	negative("limits.readTimeout", int64(l.ReadTimeout))
	negative("limits.writeTimeout", int64(l.WriteTimeout))
	negative("limits.handshakeTimeout", int64(l.HandshakeTimeout))
	negative("workers", int64(cfg.Workers))
	return errors.Join(errs...)
}
