package routeselect

// Reserved WebSocket route keys.
const (
	RouteKeyConnect    = "$connect"
	RouteKeyDisconnect = "$disconnect"
	RouteKeyDefault    = "$default"
)

// selectBufferSize is the stack buffer Select builds multi-variable values in; longer
// values still work, at the cost of one allocation.
const selectBufferSize = 128

// RouteTable picks the WebSocket route key of a message: exact, case-sensitive match of the
// evaluated route selection expression against the keys, else "$default" if present, else
// nothing. $connect and $disconnect are never selected by a message. A RouteTable is
// immutable and safe for concurrent use.
type RouteTable struct {
	expr       *Expression
	keys       map[string]string
	hasDefault bool
}

// NewRouteTable builds a table for a route selection expression and the API's route keys.
// A nil expr selects $default (when present) for every message.
func NewRouteTable(expr *Expression, keys []string) *RouteTable {
	t := &RouteTable{expr: expr, keys: make(map[string]string, len(keys))}
	for _, k := range keys {
		switch k {
		case RouteKeyConnect, RouteKeyDisconnect:
			continue
		case RouteKeyDefault:
			t.hasDefault = true
		}
		t.keys[k] = k
	}
	return t
}

// Select returns the route key for a message body (the frame's text) and optional source:
// the key equal to the expression's value, else $default when the table has it, else
// ok=false (the caller answers with a Forbidden error frame). A body that is not valid JSON
// under a $request.body expression goes to $default. Select does not allocate for
// expressions of one variable or values up to 128 bytes.
func (t *RouteTable) Select(body []byte, src Source) (key string, ok bool) {
	if k, found := t.match(body, src); found {
		return k, true
	}
	if t.hasDefault {
		return RouteKeyDefault, true
	}
	return "", false
}

// match looks the expression's value up among the keys. The returned key is the table's
// own string, never one aliasing body.
func (t *RouteTable) match(body []byte, src Source) (string, bool) {
	e := t.expr
	if e == nil || e.isDefault {
		return "", false
	}
	view := bytesView(body)
	if len(e.segs) == 1 {
		v, ok := e.single(view, src)
		if !ok {
			return "", false
		}
		k, found := t.keys[v]
		return k, found
	}
	var buf [selectBufferSize]byte
	b, ok := e.appendTo(buf[:0], view, src)
	if !ok {
		return "", false
	}
	k, found := t.keys[string(b)]
	return k, found
}
