//go:build unix

package transport

import (
	"errors"

	"golang.org/x/sys/unix"
)

// readSocket reads what socket fd holds into p, without waiting: the runtime keeps sockets in
// non-blocking mode, so an empty socket answers EAGAIN at once. n is 0 with a nil error at the end
// of the stream. The caller owns the connection, so fd cannot be closed meanwhile.
func readSocket(fd int32, p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, err
		}
		return n, nil
	}
}

// wouldBlock reports whether err says that the socket has nothing to read yet.
func wouldBlock(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}
