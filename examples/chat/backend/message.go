package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultRoom is the room of a client whose query names none.
const DefaultRoom = "lobby"

// Limits on what clients send. A room name becomes part of a key-value key, so it keeps to letters,
// digits, '-' and '_'. Text stays well under the 128 KiB a post may carry, with room for the envelope.
const (
	maxRoomLen  = 64
	maxNameLen  = 32 // characters
	maxTextSize = 64 << 10
)

// Message is what every member of a room receives when one of them sends text.
type Message struct {
	From string `json:"from"`
	Room string `json:"room"`
	Text string `json:"text"`
}

// sendMessage is the body a client sends on the sendmessage route.
type sendMessage struct {
	Action string          `json:"action"`
	Data   json.RawMessage `json:"data"`
}

// parseSendMessage returns the text of a sendmessage body: {"action":"sendmessage","data":"text"}.
func parseSendMessage(body string) (string, error) {
	var m sendMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return "", fmt.Errorf("body is not a JSON object: %w", err)
	}
	var text string
	if err := json.Unmarshal(m.Data, &text); err != nil {
		return "", errors.New(`data must be a string: {"action":"sendmessage","data":"your text"}`)
	}
	switch {
	case strings.TrimSpace(text) == "":
		return "", errors.New("data is empty")
	case len(text) > maxTextSize:
		return "", fmt.Errorf("data is over %d bytes", maxTextSize)
	}
	return text, nil
}

// parseJoin reads the room and name of a $connect query. The room defaults to lobby; the name
// defaults to "guest-" and four characters of the connection id.
func parseJoin(query map[string]string, connectionID string) (room, name string, err error) {
	room = query["room"]
	if room == "" {
		room = DefaultRoom
	}
	if !validRoom(room) {
		return "", "", fmt.Errorf("room %q: use 1 to %d letters, digits, '-' or '_'", room, maxRoomLen)
	}
	name = strings.TrimSpace(query["name"])
	switch {
	case name == "":
		name = "guest"
		if len(connectionID) >= 12 {
			name += "-" + connectionID[8:12]
		}
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", "", errors.New("name: printable UTF-8 only")
	case utf8.RuneCountInString(name) > maxNameLen:
		return "", "", fmt.Errorf("name: at most %d characters", maxNameLen)
	}
	return room, name, nil
}

func validRoom(room string) bool {
	if room == "" || len(room) > maxRoomLen {
		return false
	}
	for _, c := range []byte(room) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
