package mapping

import (
	"strconv"
	"unicode/utf8"
)

// Error is a problem in a mapping template, found by Parse or by Render, at a position of its source.
type Error struct {
	// Line and Column are 1-based; Column counts characters (runes), not bytes.
	Line, Column int
	// Msg says what is wrong.
	Msg string
	// Err is the underlying cause, if any (for example from base64 decoding).
	Err error
}

// Error formats the problem as "mapping template line L col C: msg[: cause]".
func (e *Error) Error() string {
	s := "mapping template line " + strconv.Itoa(e.Line) + " col " + strconv.Itoa(e.Column) + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// errorAt builds an *Error for byte offset off of src.
func errorAt(src string, off int, msg string, cause error) *Error {
	if off > len(src) {
		off = len(src)
	}
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return &Error{Line: line, Column: utf8.RuneCountInString(src[lineStart:off]) + 1, Msg: msg, Err: cause}
}
