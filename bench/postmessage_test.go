package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestPostMessageCarriesItsSendTime(t *testing.T) {
	at := time.Unix(1_764_000_000, 123_456_789)
	for _, size := range []int{0, minPostBytes, 64, 4096} {
		msg := appendPostMessage([]byte("prefix"), size, at)[len("prefix"):]
		require.Len(t, msg, max(size, minPostBytes))
		require.True(t, gjson.ValidBytes(msg), "%s", msg)
		got, ok := parsePostMessage(msg)
		require.True(t, ok)
		require.True(t, got.Equal(at))
	}
}

func TestParsePostMessageRejectsOtherMessages(t *testing.T) {
	valid := appendPostMessage(nil, 64, time.Unix(1, 0))
	tests := []struct {
		name string
		msg  string
	}{
		{"empty", ""},
		{"echo payload", string(echoPayload(64))},
		{"letters in the time", `{"t":00000000000000000x1,"d":"abcdefgh"}`},
		{"time over int64", `{"t":9999999999999999999,"d":"abcdefgh"}`},
		{"no tail", string(valid[:len(valid)-1])},
		{"short", string(valid[:minPostBytes-1])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := parsePostMessage([]byte(tt.msg))
			require.False(t, ok)
		})
	}
}

func FuzzParsePostMessage(f *testing.F) {
	f.Add(appendPostMessage(nil, 64, time.Unix(1_764_000_000, 5)))
	f.Add([]byte(`{"t":9999999999999999999,"d":""}`))
	f.Add([]byte(`{"t":-000000000000000001,"d":""}`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		at, ok := parsePostMessage(msg)
		if !ok {
			return
		}
		if at.UnixNano() < 0 {
			t.Fatalf("negative time %v from %q", at, msg)
		}
		again, ok := parsePostMessage(appendPostMessage(nil, len(msg), at))
		if !ok || !again.Equal(at) {
			t.Fatalf("time %v does not survive a round trip", at)
		}
	})
}
