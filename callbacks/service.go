package callbacks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico/actors/connid"
	"github.com/portico-gateway/portico/callbacks/connections"
	"github.com/portico-gateway/portico/internal/natsreq"
)

// stageHeader carries the stage of an HTTP @connections call to the owning node.
const stageHeader = "Portico-Stage"

// Options configure a Service.
type Options struct {
	// Credentials the HTTP API accepts; empty means only loopback callers are allowed.
	Credentials []Credential
	// Region is the one region SigV4 credential scopes may name (node.region). Empty means
	// DefaultRegion.
	Region string
	// TrustedProxies are the peers whose X-Forwarded-For and Forwarded headers are believed when
	// deciding whether a caller is on loopback (node.trustedProxies). Empty: a forwarded request
	// is never a loopback caller.
	TrustedProxies []netip.Prefix
	// RemoteTimeout bounds a call forwarded to another node. Zero means connections.DefaultTimeout
	// (5 seconds).
	RemoteTimeout time.Duration
	// Members tells which nodes are in the cluster: a call for a connection whose node is not a
	// member is ErrGone at once, without a request. Nil: every node is taken as a member.
	Members Members
	// NATSState follows the NATS connection, so forwarded calls fail at once when it drops. Nil: calls
	// wait out RemoteTimeout.
	NATSState *natsreq.State
	Logger    *zap.Logger
}

// Service serves the @connections API of one node: over HTTP on the client listener, and over NATS on
// the node's subject for calls from backends and other nodes. Safe for concurrent use.
type Service struct {
	conns Registry
	tag   connid.NodeTag
	nc    *nats.Conn
	sub   *nats.Subscription
	// verifier checks SigV4 signatures; nil means loopback callers only. SetCredentials swaps it.
	verifier atomic.Pointer[Verifier]
	region   string
	proxies  atomic.Pointer[[]netip.Prefix]
	timeout  atomic.Int64 // time.Duration; SetRemoteTimeout swaps it
	members  Members
	state    *natsreq.State
	log      *zap.Logger
}

// NewService starts answering the node's NATS subject for the connections of conns, the node's
// registry of live connections; tag is the node's.
func NewService(conns Registry, tag connid.NodeTag, nc *nats.Conn, opts Options) (*Service, error) {
	s := &Service{conns: conns, tag: tag, nc: nc, region: opts.Region, members: opts.Members, state: opts.NATSState, log: opts.Logger}
	s.SetRemoteTimeout(opts.RemoteTimeout)
	if s.log == nil {
		s.log = zap.NewNop()
	}
	s.SetCredentials(opts.Credentials)
	s.SetTrustedProxies(opts.TrustedProxies)
	subject := connid.NodeSubject(tag)
	sub, err := nc.Subscribe(subject, s.serveNATS)
	if err != nil {
		return nil, fmt.Errorf("subscribe %s: %w", subject, err)
	}
	// A post is only queued here, never written, so the pending limits guard against bursts only.
	if err := sub.SetPendingLimits(1<<20, 1<<30); err != nil {
		_ = sub.Unsubscribe()
		return nil, err
	}
	s.sub = sub
	return s, nil
}

// SetCredentials replaces the credentials the HTTP API accepts, atomically: a request is checked
// against the old set or the new one, never a mix. Empty means only loopback callers are allowed.
func (s *Service) SetCredentials(creds []Credential) {
	if len(creds) == 0 {
		s.verifier.Store(nil)
		return
	}
	s.verifier.Store(NewVerifier(creds, s.region, 0))
}

// SetRemoteTimeout replaces the bound of calls forwarded to another node; zero or less means
// connections.DefaultTimeout.
func (s *Service) SetRemoteTimeout(d time.Duration) {
	if d <= 0 {
		d = connections.DefaultTimeout
	}
	s.timeout.Store(int64(d))
}

// Close stops answering NATS calls.
func (s *Service) Close() error {
	if s.sub == nil {
		return nil
	}
	return s.sub.Unsubscribe()
}

// Post sends data to a connection on any node. stage, when not empty, must be the connection's stage.
func (s *Service) Post(ctx context.Context, stage, id string, data []byte) error {
	if len(data) > MaxPostBytes {
		return ErrPayloadTooLarge
	}
	if s.isLocal(id) {
		return s.postLocal(stage, id, data)
	}
	_, err := s.remote(ctx, OpPost, stage, id, data)
	return err
}

// Get describes a connection on any node.
func (s *Service) Get(ctx context.Context, stage, id string) (*ConnectionInfo, error) {
	if s.isLocal(id) {
		return s.getLocal(stage, id)
	}
	rep, err := s.remote(ctx, OpGet, stage, id, nil)
	if err != nil {
		return nil, err
	}
	return rep.Connection, nil
}

// Delete closes a connection on any node; its $disconnect follows.
func (s *Service) Delete(ctx context.Context, stage, id string) error {
	if s.isLocal(id) {
		return s.deleteLocal(stage, id)
	}
	_, err := s.remote(ctx, OpDelete, stage, id, nil)
	return err
}

func (s *Service) isLocal(id string) bool {
	tag, ok := connid.ParseConnectionID(id)
	return ok && tag == s.tag
}

func (s *Service) lookup(stage, id string) (Conn, error) {
	c, ok := s.conns.Get(id)
	if !ok || (stage != "" && c.Stage() != stage) {
		return nil, ErrGone
	}
	return c, nil
}

func (s *Service) postLocal(stage, id string, data []byte) error {
	c, err := s.lookup(stage, id)
	if err != nil {
		return err
	}
	switch err := c.Post(data); {
	case err == nil:
		return nil
	case errors.Is(err, ErrLimitExceeded):
		return ErrLimitExceeded
	default:
		return ErrGone
	}
}

func (s *Service) getLocal(stage, id string) (*ConnectionInfo, error) {
	c, err := s.lookup(stage, id)
	if err != nil {
		return nil, err
	}
	info := c.Info()
	return &info, nil
}

func (s *Service) deleteLocal(stage, id string) error {
	c, err := s.lookup(stage, id)
	if err != nil {
		return err
	}
	c.Close()
	return nil
}

// remote forwards a call to the node that owns id: one NATS request on that node's subject. A node
// that is not a member of the cluster is gone, and so are its connections: ErrGone at once, with no
// request; so is a node without a subscriber. NATS down, or no answer in time, is ErrUnavailable.
func (s *Service) remote(ctx context.Context, op, stage, id string, data []byte) (*connections.Reply, error) {
	subject, ok := connid.Subject(op, id)
	if !ok {
		return nil, ErrGone
	}
	if tag, ok := connid.ParseConnectionID(id); !ok || (s.members != nil && !s.members.HasTag(tag.String())) {
		return nil, ErrGone
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(s.timeout.Load()))
	defer cancel()
	msg := &nats.Msg{Subject: subject, Data: data}
	if stage != "" {
		msg.Header = nats.Header{stageHeader: []string{stage}}
	}
	m, err := natsreq.Request(ctx, s.nc, s.state, msg)
	switch {
	case errors.Is(err, natsreq.ErrNoResponders):
		return nil, ErrGone
	case err != nil:
		s.log.Debug("forwarding @connections call failed", zap.String("subject", subject), zap.Error(err))
		return nil, ErrUnavailable
	}
	var rep connections.Reply
	if err := json.Unmarshal(m.Data, &rep); err != nil {
		return nil, fmt.Errorf("%w: bad reply from owning node: %v", ErrUnavailable, err)
	}
	return &rep, rep.Err()
}

// serveNATS answers calls for connections this node owns, from backends and from other nodes.
// Calls without a reply subject are carried out without an answer (fire-and-forget posts).
func (s *Service) serveNATS(m *nats.Msg) {
	op, id, ok := connid.ParseSubject(m.Subject)
	stage := m.Header.Get(stageHeader)
	var rep connections.Reply
	var err error
	switch {
	case !ok || !s.isLocal(id):
		err = ErrGone
	case op == OpPost:
		if len(m.Data) > MaxPostBytes {
			err = ErrPayloadTooLarge
		} else {
			// The message's data is not reused by the NATS client after the handler returns.
			err = s.postLocal(stage, id, m.Data)
		}
	case op == OpGet:
		rep.Connection, err = s.getLocal(stage, id)
	case op == OpDelete:
		err = s.deleteLocal(stage, id)
	default:
		err = ErrBadRequest
	}
	if m.Reply == "" {
		return
	}
	rep.StatusCode = 200
	if op == OpDelete {
		rep.StatusCode = 204
	}
	if err != nil {
		rep = connections.ErrorReply(asError(err))
	}
	data, _ := json.Marshal(&rep)
	if err := m.Respond(data); err != nil {
		s.log.Debug("answering @connections call failed", zap.String("subject", m.Subject), zap.Error(err))
	}
}
