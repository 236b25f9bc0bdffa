package transport

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/gobwas/ws"
	"go.uber.org/zap"
)

// ServeHTTP sends WebSocket upgrade requests through the WebSocketHandler and every other request
// to the plain handler. It lets the Server be mounted on another http.Server too.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || !headerHasToken(r.Header, "Upgrade", "websocket") {
		s.h.ServeHTTP(w, r)
		return
	}
	if status, msg := checkUpgrade(r); status != 0 {
		if status == http.StatusUpgradeRequired {
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, msg, status)
		return
	}
	d := s.wsh.Handshake(r)
	if d.refuses() {
		refuse(w, d)
		return
	}
	if d.OnUpgraded == nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		d.failed(errors.New("upgrade: the decision has no OnUpgraded"))
		return
	}
	if !s.enterUpgrade() {
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		d.failed(fmt.Errorf("upgrade: %w", http.ErrServerClosed))
		return
	}
	defer s.upgrades.Done()
	if err := s.upgrade(w, r, d); err != nil {
		s.log.Debug("upgrade failed", zap.Error(err))
		d.failed(err)
	}
}

// enterUpgrade counts an upgrade in, unless the server is closing.
func (s *Server) enterUpgrade() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.upgrades.Add(1)
	return true
}

// upgrade writes the 101, hands the connection to the decision's handler, handles frames the client
// sent along with the request (keeping the start of a frame they cut short) and gives the
// connection to the poller.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, d Decision) error {
	u := ws.HTTPUpgrader{Header: d.Header, Timeout: s.cfg.Limits.WriteTimeout}
	nc, rw, _, err := u.Upgrade(r, w)
	if err != nil {
		if nc != nil {
			_ = nc.Close()
		}
		return fmt.Errorf("upgrade: %w", err)
	}
	fd, err := socketFD(nc)
	if err != nil {
		_ = nc.Close()
		return fmt.Errorf("upgrade: %w", err)
	}
	c := &Conn{srv: s, nc: nc, fd: fd}
	c.st.Store(stBusy) // this goroutine owns c until release
	if err := s.register(c); err != nil {
		c.wmu.Lock()
		c.writeCloseLocked([]byte{byte(ws.StatusGoingAway >> 8), byte(ws.StatusGoingAway & 0xff)})
		c.wmu.Unlock()
		_ = nc.Close()
		return fmt.Errorf("upgrade: %w", err)
	}
	c.h = d.OnUpgraded(c)
	if c.h == nil {
		c.h = nopHandler{}
	}
	// A client may send frames right behind the request: they sit in the request's buffer.
	if n := rw.Reader.Buffered(); n > 0 {
		pre, _ := rw.Reader.Peek(n)
		c.consume(pre)
	}
	c.release()
	return nil
}

// refuse answers an upgrade request the handler refused.
func refuse(w http.ResponseWriter, d Decision) {
	h := w.Header()
	for k, vs := range d.Header {
		h[k] = append(h[k], vs...)
	}
	w.WriteHeader(d.Status)
	_, _ = w.Write(d.Body)
}

// checkUpgrade checks what the handshake needs before the handler runs, so that a malformed
// upgrade request is refused without running $connect. It returns 0 or the status to refuse with.
func checkUpgrade(r *http.Request) (int, string) {
	switch {
	case r.ProtoMajor < 1 || (r.ProtoMajor == 1 && r.ProtoMinor < 1):
		return http.StatusHTTPVersionNotSupported, "WebSocket needs HTTP/1.1"
	case !headerHasToken(r.Header, "Connection", "upgrade"):
		return http.StatusBadRequest, `bad "Connection" header`
	case len(r.Header.Get("Sec-WebSocket-Key")) != 24:
		return http.StatusBadRequest, `bad "Sec-WebSocket-Key" header`
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return http.StatusUpgradeRequired, `bad "Sec-WebSocket-Version" header`
	}
	return 0, ""
}

// headerHasToken reports whether the comma-separated values of header name contain token, in any
// case.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

// socketFD returns the descriptor of nc's socket, which the poller watches.
func socketFD(nc net.Conn) (int32, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return 0, fmt.Errorf("connection %T has no socket descriptor", nc)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("socket descriptor: %w", err)
	}
	var fd int32
	if err := rc.Control(func(s uintptr) { fd = int32(s) }); err != nil {
		return 0, fmt.Errorf("socket descriptor: %w", err)
	}
	return fd, nil
}
