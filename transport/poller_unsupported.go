//go:build !unix && !portico_portable_poller

package transport

import (
	"errors"
	"runtime"
)

const idleWithoutGoroutine = false

// poller is not available on this system: upgrades fail with the error of newPoller, plain HTTP
// requests are served.
type poller struct{}

func newPoller() (*poller, error) {
	return nil, errors.New("transport: WebSocket connections are not supported on " + runtime.GOOS)
}

func (*poller) arm(*Conn, bool) error                 { return errors.ErrUnsupported }
func (*poller) remove(*Conn)                          {}
func (*poller) wait(func(fd int32, seq uint32)) error { return nil }
func (*poller) stop() error                           { return nil }
func (*poller) close() error                          { return nil }
