package callbacks

import (
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"
)

// Subjects on which nodes announce themselves.
const (
	heartbeatSubject = "portico.nodes.heartbeat"
	leaveSubject     = "portico.nodes.leave"
)

// Members tells whether a node, by its tag, is a member of the cluster. Membership is one.
type Members interface {
	HasTag(tag string) bool
}

// Peer is a node seen on the cluster.
type Peer struct {
	NodeID      string    `json:"nodeId"`
	Tag         string    `json:"tag"`
	Connections int       `json:"connections"`
	LastSeen    time.Time `json:"lastSeen"`
}

// Membership announces this node on NATS every interval and follows the other nodes: a node is gone
// when it says so on leaving, or when three heartbeats in a row are missed. Routing does not depend on
// it (connection ids name their node), but @connections calls consult it: a connection whose node is
// not a member is gone at once. It also tells operators and the admin API who is there. A node
// announces itself again when it first hears of another, so a node that joins learns the others
// within a round trip, not a heartbeat interval.
type Membership struct {
	nc       *nats.Conn
	self     Peer
	count    func() int
	interval time.Duration
	log      *zap.Logger
	subs     []*nats.Subscription

	mu    sync.Mutex
	peers map[string]Peer

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Join starts announcing self (nodeID and tag) every interval (zero: 1 s); count reports the node's
// live connections.
func Join(nc *nats.Conn, nodeID, tag string, count func() int, interval time.Duration, log *zap.Logger) (*Membership, error) {
	if interval <= 0 {
		interval = time.Second
	}
	if log == nil {
		log = zap.NewNop()
	}
	m := &Membership{nc: nc, self: Peer{NodeID: nodeID, Tag: tag}, count: count, interval: interval, log: log,
		peers: make(map[string]Peer), stop: make(chan struct{}), done: make(chan struct{})}
	hb, err := nc.Subscribe(heartbeatSubject, m.onHeartbeat)
	if err != nil {
		return nil, err
	}
	lv, err := nc.Subscribe(leaveSubject, m.onLeave)
	if err != nil {
		_ = hb.Unsubscribe()
		return nil, err
	}
	m.subs = []*nats.Subscription{hb, lv}
	m.announce()
	go m.run()
	return m, nil
}

// Peers returns the nodes currently seen, this one included, sorted by node id.
func (m *Membership) Peers() []Peer {
	m.mu.Lock()
	out := make([]Peer, 0, len(m.peers)+1)
	for _, p := range m.peers {
		out = append(out, p)
	}
	m.mu.Unlock()
	self := m.self
	self.Connections, self.LastSeen = m.count(), time.Now()
	out = append(out, self)
	sort.Slice(out, func(i, j int) bool { return out[i].NodeID < out[j].NodeID })
	return out
}

// HasTag reports whether tag is this node's or a peer's currently seen.
func (m *Membership) HasTag(tag string) bool {
	if tag == m.self.Tag {
		return true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.peers {
		if p.Tag == tag {
			return true
		}
	}
	return false
}

// Close says goodbye to the other nodes and stops announcing. It may be called more than once.
func (m *Membership) Close() {
	m.closeOnce.Do(func() {
		close(m.stop)
		<-m.done
		for _, s := range m.subs {
			_ = s.Unsubscribe()
		}
		data, _ := json.Marshal(m.self)
		_ = m.nc.Publish(leaveSubject, data)
		_ = m.nc.FlushTimeout(time.Second)
	})
}

func (m *Membership) run() {
	defer close(m.done)
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case now := <-t.C:
			m.announce()
			m.expire(now)
		}
	}
}

func (m *Membership) announce() {
	p := m.self
	p.Connections = m.count()
	data, _ := json.Marshal(p)
	_ = m.nc.Publish(heartbeatSubject, data)
}

func (m *Membership) expire(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, p := range m.peers {
		if now.Sub(p.LastSeen) > 3*m.interval {
			delete(m.peers, id)
			m.log.Warn("node gone: heartbeats stopped", zap.String("nodeId", id), zap.String("tag", p.Tag))
		}
	}
}

func (m *Membership) onHeartbeat(msg *nats.Msg) {
	var p Peer
	if json.Unmarshal(msg.Data, &p) != nil || p.NodeID == "" || p.NodeID == m.self.NodeID {
		return
	}
	p.LastSeen = time.Now()
	m.mu.Lock()
	_, known := m.peers[p.NodeID]
	m.peers[p.NodeID] = p
	m.mu.Unlock()
	if !known {
		m.log.Info("node joined", zap.String("nodeId", p.NodeID), zap.String("tag", p.Tag))
		m.announce() // the newcomer learns of this node now, not at the next tick
	}
}

func (m *Membership) onLeave(msg *nats.Msg) {
	var p Peer
	if json.Unmarshal(msg.Data, &p) != nil || p.NodeID == m.self.NodeID {
		return
	}
	m.mu.Lock()
	_, known := m.peers[p.NodeID]
	delete(m.peers, p.NodeID)
	m.mu.Unlock()
	if known {
		m.log.Info("node left", zap.String("nodeId", p.NodeID), zap.String("tag", p.Tag))
	}
}
