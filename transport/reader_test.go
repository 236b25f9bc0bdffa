package transport

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

// collector is a ConnHandler that keeps every message, for the frame reader's own tests.
type collector struct{ msgs []message }

func (h *collector) OnMessage(op ws.OpCode, p []byte) {
	h.msgs = append(h.msgs, message{op: op, payload: append([]byte{}, p...)})
}

func (*collector) OnClose(ws.StatusCode, string) {}

// readOutcome is everything the frame reader did with one client byte stream.
type readOutcome struct {
	msgs    []message
	code    ws.StatusCode
	reason  string
	written []byte // pongs and close frames, as the client would read them
}

// readStream feeds data to a scripted connection in reads of the lengths in cuts (see feed) and
// returns what came of it.
func readStream(limits Limits, data []byte, cuts []int) readOutcome {
	h := &collector{}
	c, nc := scriptedConn(limits, h)
	feed(c, data, cuts)
	return readOutcome{msgs: h.msgs, code: c.code, reason: c.reason, written: nc.written.Bytes()}
}

// serverFrame is a final, unmasked frame as the server writes it.
func serverFrame(op ws.OpCode, p []byte) []byte {
	b := make([]byte, maxHeaderBytes+len(p))
	n := putHeader(b, op, len(p))
	return append(b[:n], p...)
}

func TestFrameSplitAtEveryByteIsReassembled(t *testing.T) {
	long := strings.Repeat("0123456789abcdef", 70000/16) // 64-bit length
	fragmented := bytes.Join([][]byte{
		clientFrame(false, 0, ws.OpText, true, []byte("hel")),
		clientFrame(true, 0, ws.OpPing, true, []byte("mid")),
		clientFrame(false, 0, ws.OpContinuation, true, []byte("lo ")),
		clientFrame(true, 0, ws.OpContinuation, true, []byte("world")),
	}, nil)
	cases := []struct {
		name    string
		stream  []byte
		msgs    []message
		written []byte
		code    ws.StatusCode // after the stream: 1006 unless it closed itself
	}{
		{"empty payload", text(""), []message{{ws.OpText, []byte("")}}, nil, ws.StatusAbnormalClosure},
		{"7-bit length", text("hello, world"), []message{{ws.OpText, []byte("hello, world")}}, nil, ws.StatusAbnormalClosure},
		{"16-bit length", text(strings.Repeat("é", 150)), []message{{ws.OpText, []byte(strings.Repeat("é", 150))}}, nil, ws.StatusAbnormalClosure},
		{"64-bit length", text(long), []message{{ws.OpText, []byte(long)}}, nil, ws.StatusAbnormalClosure},
		{"binary", clientFrame(true, 0, ws.OpBinary, true, []byte{0, 0xff, 1}), []message{{ws.OpBinary, []byte{0, 0xff, 1}}}, nil, ws.StatusAbnormalClosure},
		{"two frames in a row", append(text("one"), text("two")...),
			[]message{{ws.OpText, []byte("one")}, {ws.OpText, []byte("two")}}, nil, ws.StatusAbnormalClosure},
		{"fragments with a ping between", fragmented, []message{{ws.OpText, []byte("hello world")}},
			serverFrame(ws.OpPong, []byte("mid")), ws.StatusAbnormalClosure},
		{"close frame", clientFrame(true, 0, ws.OpClose, true, closePayload(4000, "bye")), nil,
			serverFrame(ws.OpClose, closePayload(4000, "")), 4000},
		{"invalid UTF-8 split inside a rune", append(clientFrame(false, 0, ws.OpText, true, []byte("a\xe2\x82")),
			clientFrame(true, 0, ws.OpContinuation, true, []byte("\xac"))...),
			[]message{{ws.OpText, []byte("a€")}}, nil, ws.StatusAbnormalClosure},
	}
	limits := Limits{MaxFrameBytes: 100000, MaxMessageBytes: 200000, AllowBinary: true}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := readOutcome{msgs: tc.msgs, code: tc.code, written: tc.written}
			if tc.code == 4000 {
				want.reason = "bye"
			}
			got := readStream(limits, tc.stream, nil)
			require.Equal(t, want, got, "whole stream in one read")
			require.Equal(t, want, readStream(limits, tc.stream, []int{1}), "one byte per read")

			// Two reads, split at every boundary: inside the header, the extended length, the mask
			// key and the payload (of a long payload, its first and last bytes and every 997th).
			for cut := 1; cut < len(tc.stream); cut++ {
				if cut > 32 && cut < len(tc.stream)-32 && cut%997 != 0 {
					continue
				}
				require.Equal(t, want, readStream(limits, tc.stream, []int{cut, len(tc.stream)}), "split at byte %d", cut)
			}
		})
	}
}

func TestPartialFrameStateLastsOnlyUntilTheFrameIsComplete(t *testing.T) {
	h := &collector{}
	c, _ := scriptedConn(Limits{}, h)
	frame := text("resumed")
	for i := range frame[:len(frame)-1] {
		require.True(t, c.consume(bytes.Clone(frame[i:i+1])))
		require.NotNil(t, c.part, "after %d of %d bytes", i+1, len(frame))
	}
	require.True(t, c.consume(bytes.Clone(frame[len(frame)-1:])))
	require.Nil(t, c.part, "a complete frame leaves nothing on the connection")
	require.Equal(t, []message{{ws.OpText, []byte("resumed")}}, h.msgs)

	// Whole frames in one read never make a partial frame.
	require.True(t, c.consume(append(text("a"), text("b")...)))
	require.Nil(t, c.part)
	require.Len(t, h.msgs, 3)
}

func TestErrorsInSplitHeadersCloseAsWhole(t *testing.T) {
	// Every close TestClosesConnectionOnBadInput expects from a whole stream comes the same when
	// the stream arrives one byte at a time.
	long := strings.Repeat("a", 600)
	limits := Limits{MaxFrameBytes: 1000, MaxMessageBytes: 1500}
	for _, tc := range []struct {
		stream []byte
		code   ws.StatusCode
		reason string
	}{
		{text(long + long), ws.StatusMessageTooBig, "frame too big"},
		{bytes.Join([][]byte{
			clientFrame(false, 0, ws.OpText, true, []byte(long)),
			clientFrame(false, 0, ws.OpContinuation, true, []byte(long)),
			clientFrame(true, 0, ws.OpContinuation, true, []byte(long)),
		}, nil), ws.StatusMessageTooBig, "message too big"},
		{text("ok \xff"), ws.StatusInvalidFramePayloadData, "invalid UTF-8"},
		{clientFrame(true, 0, ws.OpBinary, true, []byte{1}), ws.StatusUnsupportedData, "binary messages are not supported"},
		{clientFrame(true, 0, ws.OpText, false, []byte("hi")), ws.StatusProtocolError, "frame not masked"},
		{clientFrame(true, 0, ws.OpPing, true, make([]byte, 126)), ws.StatusProtocolError, "control frame too long"},
		{[]byte{0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, ws.StatusProtocolError, "invalid payload length"},
	} {
		t.Run(tc.reason, func(t *testing.T) {
			whole := readStream(limits, tc.stream, nil)
			require.Equal(t, tc.code, whole.code)
			require.Equal(t, tc.reason, whole.reason)
			require.Equal(t, whole, readStream(limits, tc.stream, []int{1}))
			require.Equal(t, byte(0x80|ws.OpClose), whole.written[0], "close frame sent")
			require.Equal(t, binary.BigEndian.AppendUint16(nil, uint16(tc.code)), whole.written[2:4])
		})
	}
}
