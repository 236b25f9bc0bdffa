package actors

import (
	"hash/maphash"
	"sync"
)

// indexShards is the number of shards of the connection index; a power of two.
const indexShards = 64

// index maps connection ids to the open connections of a node. It is sharded so that connects,
// disconnects and @connections look-ups on different connections rarely meet on a lock, and so
// that the deadline sweep holds each lock only for a short scan. Safe for concurrent use.
type index struct {
	seed   maphash.Seed
	shards [indexShards]indexShard
}

type indexShard struct {
	mu sync.RWMutex
	m  map[string]*Connection
	_  [32]byte // keeps neighbouring shards' locks off one cache line
}

func newIndex() *index {
	x := &index{seed: maphash.MakeSeed()}
	for i := range x.shards {
		x.shards[i].m = make(map[string]*Connection)
	}
	return x
}

func (x *index) shard(id string) *indexShard {
	return &x.shards[maphash.String(x.seed, id)&(indexShards-1)]
}

func (x *index) add(c *Connection) {
	s := x.shard(c.info.ID)
	s.mu.Lock()
	s.m[c.info.ID] = c
	s.mu.Unlock()
}

func (x *index) get(id string) (*Connection, bool) {
	s := x.shard(id)
	s.mu.RLock()
	c, ok := s.m[id]
	s.mu.RUnlock()
	return c, ok
}

// remove deletes c, and reports whether it was there.
func (x *index) remove(c *Connection) bool {
	s := x.shard(c.info.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[c.info.ID] != c {
		return false
	}
	delete(s.m, c.info.ID)
	return true
}

// collect appends to buf[:0] every connection for which keep reports true, one shard lock at a
// time (keep runs under that shard's read lock: it must be quick and must not use the index).
func (x *index) collect(buf []*Connection, keep func(*Connection) bool) []*Connection {
	buf = buf[:0]
	for i := range x.shards {
		s := &x.shards[i]
		s.mu.RLock()
		for _, c := range s.m {
			if keep(c) {
				buf = append(buf, c)
			}
		}
		s.mu.RUnlock()
	}
	return buf
}
