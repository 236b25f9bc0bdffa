package main

import (
	"bytes"
	"strconv"
	"time"
)

// A post message carries the time it was sent, so that the connection receiving it can tell how
// long delivery took without sharing anything with the sender but the machine's clock:
// {"t":<Unix nanoseconds, 19 digits>,"d":"abc..."}, padded to its size.
const (
	postHead     = `{"t":`
	postTimeLen  = 19
	postMid      = `,"d":"`
	postTail     = `"}`
	minPostBytes = len(postHead) + postTimeLen + len(postMid) + len(postTail)
)

// appendPostMessage appends a post message of size bytes (at least minPostBytes) stamped with t.
func appendPostMessage(dst []byte, size int, t time.Time) []byte {
	size = max(size, minPostBytes)
	start := len(dst)
	dst = append(dst, postHead...)
	ns := strconv.AppendInt(nil, t.UnixNano(), 10)
	for range postTimeLen - len(ns) {
		dst = append(dst, '0')
	}
	dst = append(dst, ns...)
	dst = append(dst, postMid...)
	for len(dst)-start < size-len(postTail) {
		dst = append(dst, byte('a'+(len(dst)-start)%26))
	}
	return append(dst, postTail...)
}

// parsePostMessage returns the send time of a post message; false when msg is not one.
func parsePostMessage(msg []byte) (time.Time, bool) {
	if len(msg) < minPostBytes || !bytes.HasPrefix(msg, []byte(postHead)) || !bytes.HasSuffix(msg, []byte(postTail)) {
		return time.Time{}, false
	}
	digits := msg[len(postHead) : len(postHead)+postTimeLen]
	if !bytes.HasPrefix(msg[len(postHead)+postTimeLen:], []byte(postMid)) {
		return time.Time{}, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
	}
	ns, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}
