package main

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"
)

// serverFrame builds an unmasked frame as a server sends it.
func serverFrame(fin bool, op ws.OpCode, p []byte) []byte {
	b0 := byte(op)
	if fin {
		b0 |= 0x80
	}
	f := []byte{b0}
	switch n := len(p); {
	case n < 126:
		f = append(f, byte(n))
	case n <= 0xffff:
		f = append(f, 126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	default:
		f = append(f, 127)
		f = binary.BigEndian.AppendUint64(f, uint64(n))
	}
	return append(f, p...)
}

func TestReadMessage(t *testing.T) {
	big := bytes.Repeat([]byte("b"), 70000)
	tests := []struct {
		name    string
		stream  []byte
		want    []byte
		wantErr bool
	}{
		{"short text", serverFrame(true, ws.OpText, []byte("hi")), []byte("hi"), false},
		{"16-bit length", serverFrame(true, ws.OpText, bytes.Repeat([]byte("a"), 4096)), bytes.Repeat([]byte("a"), 4096), false},
		{"64-bit length", serverFrame(true, ws.OpBinary, big), big, false},
		{"fragments joined, ping skipped", bytes.Join([][]byte{
			serverFrame(false, ws.OpText, []byte("he")),
			serverFrame(true, ws.OpPing, []byte("p")),
			serverFrame(true, ws.OpContinuation, []byte("llo")),
		}, nil), []byte("hello"), false},
		{"close", serverFrame(true, ws.OpClose, []byte{0x03, 0xe8}), nil, true},
		{"truncated", serverFrame(true, ws.OpText, []byte("hello"))[:4], nil, true},
		{"over the limit", []byte{0x81, 127, 0, 0, 0, 0, 0xff, 0, 0, 0}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fr := frameReader{r: bytes.NewReader(tt.stream)}
			got, err := fr.readMessage()
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestMaskedTextFrameUnmasksToPayload(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 4096, 70000} {
		payload := echoPayload(n)
		frame := maskedTextFrame(payload, [4]byte{1, 2, 3, 4})
		h, err := ws.ReadHeader(bytes.NewReader(frame))
		require.NoError(t, err)
		require.True(t, h.Fin)
		require.True(t, h.Masked)
		require.Equal(t, ws.OpText, h.OpCode)
		require.Equal(t, int64(n), h.Length)
		body := append([]byte(nil), frame[len(frame)-n:]...)
		ws.Cipher(body, h.Mask, 0)
		require.True(t, bytes.Equal(payload, body), "n=%d", n)
	}
}

func TestEchoPayloadHasTheAskedSize(t *testing.T) {
	for _, n := range []int{1, 11, 12, 64, 4096} {
		require.Len(t, echoPayload(n), n)
	}
	require.JSONEq(t, `{"data":"`+string(echoPayload(64)[9:62])+`"}`, string(echoPayload(64)))
}

func TestSourceIPStaysInLoopbackAfterTheFirstTwo(t *testing.T) {
	for _, i := range []int{0, 1, 252, 253, 100000} {
		ip := sourceIP(i).To4()
		require.Equal(t, byte(127), ip[0])
		require.GreaterOrEqual(t, ip[3], byte(2))
		require.LessOrEqual(t, ip[3], byte(254))
	}
}
