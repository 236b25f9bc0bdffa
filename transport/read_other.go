//go:build !unix

package transport

import "errors"

// readSocket is not available without the poller (see poller_unsupported.go): no connection is
// ever upgraded here.
func readSocket(int32, []byte) (int, error) { return 0, errors.ErrUnsupported }

func wouldBlock(error) bool { return false }
