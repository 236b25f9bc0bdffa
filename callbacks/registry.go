package callbacks

// Registry finds the live connections of this node by id; the node's actor system is one. It must
// be safe for concurrent use.
type Registry interface {
	// Get returns the live connection with id, or false when there is none.
	Get(id string) (Conn, bool)
}

// Conn is what the service needs of one live connection.
type Conn interface {
	// Stage is the name of the stage the connection was made on.
	Stage() string
	// Info describes the connection as GetConnection answers (lastActiveAt included).
	Info() ConnectionInfo
	// Post queues data for the client. It returns ErrLimitExceeded when the client's outbound queue
	// is full (the connection is then being closed); any other error means the connection is gone.
	Post(data []byte) error
	// Close closes the connection with 1000 (normal closure); its $disconnect follows.
	Close()
}
