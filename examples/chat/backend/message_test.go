package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestParseSendMessage(t *testing.T) {
	for _, tc := range []struct {
		body, text, err string
	}{
		{body: `{"action":"sendmessage","data":"hi"}`, text: "hi"},
		{body: `{"action":"sendmessage","data":"multi\nline \u00e9"}`, text: "multi\nline é"},
		{body: `{"data":"no action is fine: the route chose us"}`, text: "no action is fine: the route chose us"},
		{body: `{"action":"sendmessage","data":42}`, err: "data must be a string"},
		{body: `{"action":"sendmessage","data":{"text":"x"}}`, err: "data must be a string"},
		{body: `{"action":"sendmessage"}`, err: "data must be a string"},
		{body: `{"action":"sendmessage","data":null}`, err: "data is empty"},
		{body: `{"action":"sendmessage","data":" \t"}`, err: "data is empty"},
		{body: `{"action":"sendmessage","data":"` + strings.Repeat("x", maxTextSize+1) + `"}`, err: "over"},
		{body: `[1,2]`, err: "not a JSON object"},
		{body: ``, err: "not a JSON object"},
	} {
		text, err := parseSendMessage(tc.body)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.body)
			continue
		}
		require.NoError(t, err, tc.body)
		require.Equal(t, tc.text, text)
	}
}

func TestParseJoin(t *testing.T) {
	const id = "AAAAAAAAbcdeFGHIJKLMNOPQ"
	for _, tc := range []struct {
		name        string
		query       map[string]string
		room, who   string
		errContains string
	}{
		{name: "defaults", query: nil, room: "lobby", who: "guest-bcde"},
		{name: "room and name", query: map[string]string{"room": "ops-2_b", "name": " Zoë "}, room: "ops-2_b", who: "Zoë"},
		{name: "room with dot", query: map[string]string{"room": "a.b"}, errContains: "room"},
		{name: "room with wildcard", query: map[string]string{"room": "a*"}, errContains: "room"},
		{name: "long room", query: map[string]string{"room": strings.Repeat("r", maxRoomLen+1)}, errContains: "room"},
		{name: "control in name", query: map[string]string{"name": "a\x00b"}, errContains: "printable"},
		{name: "bad utf-8 name", query: map[string]string{"name": "a\xffb"}, errContains: "printable"},
		{name: "long name", query: map[string]string{"name": strings.Repeat("é", maxNameLen+1)}, errContains: "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, who, err := parseJoin(tc.query, id)
			if tc.errContains != "" {
				require.ErrorContains(t, err, tc.errContains)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.room, room)
			require.Equal(t, tc.who, who)
		})
	}
}

func FuzzParseSendMessage(f *testing.F) {
	for _, s := range []string{`{"action":"sendmessage","data":"hi"}`, `{"data":42}`, `{"data":"\ud800"}`, `[`, ``, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		text, err := parseSendMessage(body)
		if err != nil {
			return
		}
		require.NotEmpty(t, strings.TrimSpace(text))
		require.LessOrEqual(t, len(text), maxTextSize)
		_, err = json.Marshal(Message{Text: text})
		require.NoError(t, err)
	})
}

func FuzzParseJoin(f *testing.F) {
	for _, s := range [][2]string{{"lobby", "alice"}, {"", ""}, {"a.b", "x"}, {"r", "a\x00"}, {"r", "\xff"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, room, name string) {
		r, n, err := parseJoin(map[string]string{"room": room, "name": name}, "AAAAAAAAbcdeFGHIJKLMNOPQ")
		if err != nil {
			return
		}
		require.True(t, validRoom(r), "room %q", r)
		require.True(t, utf8.ValidString(n))
		require.NotEmpty(t, n)
		require.LessOrEqual(t, utf8.RuneCountInString(n), maxNameLen)
	})
}
