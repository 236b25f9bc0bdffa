package routeselect

import "fmt"

// ParseError reports a selection expression that cannot be compiled.
type ParseError struct {
	// Expression is the full text handed to Parse.
	Expression string
	// Offset is the byte offset of Part in Expression.
	Offset int
	// Part is the offending part of Expression (a variable name, "${", "$"), possibly empty.
	Part string
	// Reason says what is wrong with Part.
	Reason string
}

// Error names the reason, the offending part and its offset.
func (e *ParseError) Error() string {
	return fmt.Sprintf("routeselect: selection expression %q: %s %q at offset %d",
		e.Expression, e.Reason, e.Part, e.Offset)
}
