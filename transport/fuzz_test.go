package transport

import (
	"bytes"
	"io"
	"net"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
	"go.uber.org/zap"
)

// scriptConn is a net.Conn whose reads end at once and whose writes are kept.
type scriptConn struct {
	net.Conn // nil: methods not overridden are not used by the frame reader
	written  bytes.Buffer
}

func (c *scriptConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (c *scriptConn) Write(p []byte) (int, error)      { return c.written.Write(p) }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

// scriptedConn returns a connection owned by the caller, as a worker owns it during its turn, that
// reads nothing from its socket and writes into nc.written. It belongs to no poller: it is fed with
// feed.
func scriptedConn(limits Limits, h ConnHandler) (*Conn, *scriptConn) {
	s := &Server{cfg: Config{Limits: limits}.withDefaults(), log: zap.NewNop()}
	nc := &scriptConn{}
	c := &Conn{srv: s, nc: nc, h: h}
	c.st.Store(stBusy)
	return c, nc
}

// feed hands data to c's frame reader as successive reads would, each cuts[i] bytes long (cycling
// through cuts; all of data at once when cuts is empty; a zero cut counts as 1), then ends the
// stream as a client that goes away does. It stops early once the connection is closing.
func feed(c *Conn, data []byte, cuts []int) {
	data = bytes.Clone(data) // the reader unmasks in place, as in its pooled buffer
	for i := 0; len(data) > 0 && !c.closed(); i++ {
		n := len(data)
		if len(cuts) > 0 {
			n = min(max(cuts[i%len(cuts)], 1), len(data))
		}
		c.consume(data[:n])
		data = data[n:]
	}
	if !c.closed() {
		c.readEnded()
	}
	c.dropPartial()
}

// fuzzHandler checks every message against the limits.
type fuzzHandler struct {
	t        *testing.T
	maxBytes int
}

func (h fuzzHandler) OnMessage(op ws.OpCode, p []byte) {
	if op != ws.OpText && op != ws.OpBinary {
		h.t.Fatalf("message with opcode %v", op)
	}
	if op == ws.OpText && !utf8.Valid(p) {
		h.t.Fatalf("text message is not UTF-8: %q", p)
	}
	if len(p) > h.maxBytes {
		h.t.Fatalf("message of %d bytes over the %d limit", len(p), h.maxBytes)
	}
}

func (h fuzzHandler) OnClose(ws.StatusCode, string) {
	h.t.Fatal("OnClose is the owner's, not the reader's")
}

// FuzzReadFrames feeds arbitrary client bytes to the frame reader: it must not panic, must deliver
// only messages within the limits, and must end every connection with the close frame it reports.
func FuzzReadFrames(f *testing.F) {
	f.Add(text("hello"))
	f.Add(append(append(clientFrame(false, 0, ws.OpText, true, []byte("he")),
		clientFrame(true, 0, ws.OpPing, true, []byte("p"))...),
		clientFrame(true, 0, ws.OpContinuation, true, []byte("llo"))...))
	f.Add(clientFrame(true, 0, ws.OpClose, true, closePayload(4000, "bye")))
	f.Add(clientFrame(true, 0, ws.OpBinary, true, []byte{0, 1, 2}))
	f.Add(clientFrame(true, 0, ws.OpText, false, []byte("unmasked")))
	f.Add([]byte{0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxMessage = 128
		limits := Limits{MaxFrameBytes: 64, MaxMessageBytes: maxMessage, AllowBinary: len(data)%2 == 0}
		c, nc := scriptedConn(limits, fuzzHandler{t: t, maxBytes: maxMessage})
		feed(c, data, nil)

		// What the server wrote: pongs, then a close frame unless the connection broke (1006).
		var last ws.Header
		var lastPayload []byte
		for nc.written.Len() > 0 {
			h, err := ws.ReadHeader(&nc.written)
			if err != nil {
				t.Fatalf("server wrote a bad frame: %v", err)
			}
			lastPayload = make([]byte, h.Length)
			if _, err := io.ReadFull(&nc.written, lastPayload); err != nil {
				t.Fatalf("server wrote a short frame: %v", err)
			}
			last = h
		}
		switch c.code {
		case ws.StatusAbnormalClosure:
			if last.OpCode == ws.OpClose {
				t.Fatalf("close frame sent for an abnormal closure")
			}
		case ws.StatusNoStatusRcvd:
			if last.OpCode != ws.OpClose || len(lastPayload) != 0 {
				t.Fatalf("client close without code not answered with an empty close frame")
			}
		default:
			if last.OpCode != ws.OpClose || len(lastPayload) < 2 {
				t.Fatalf("closed with %d but the last frame was %v %q", c.code, last.OpCode, lastPayload)
			}
			if got, _ := ws.ParseCloseFrameData(lastPayload); got != c.code {
				t.Fatalf("close frame carries %d, OnClose would see %d", got, c.code)
			}
		}
	})
}

// FuzzFramesSplitAnywhere checks the resumable frame reader against itself: a client byte stream
// cut into reads of arbitrary lengths (cuts, one byte per read length) must give the same
// messages, the same pongs and close frame, and the same close code as the whole stream read at
// once.
func FuzzFramesSplitAnywhere(f *testing.F) {
	f.Add(text("hello"), []byte{1})
	f.Add(text(string(make([]byte, 200))), []byte{3, 1, 4, 1, 5, 9})
	f.Add(append(append(clientFrame(false, 0, ws.OpText, true, []byte("he")),
		clientFrame(true, 0, ws.OpPing, true, []byte("p"))...),
		clientFrame(true, 0, ws.OpContinuation, true, []byte("llo"))...), []byte{2, 7})
	f.Add(clientFrame(true, 0, ws.OpClose, true, closePayload(4000, "bye")), []byte{5})
	f.Add([]byte{0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, []byte{1, 2})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		limits := Limits{MaxFrameBytes: 300, MaxMessageBytes: 600, AllowBinary: len(data)%2 == 0}
		lengths := make([]int, len(cuts))
		for i, b := range cuts {
			lengths[i] = int(b)
		}
		whole := readStream(limits, data, nil)
		split := readStream(limits, data, lengths)
		if !reflect.DeepEqual(whole, split) {
			t.Fatalf("read whole: %+v\nread in pieces of %v: %+v", whole, lengths, split)
		}
	})
}
