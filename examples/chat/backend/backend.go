package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/portico-gateway/portico/callbacks/connections"
)

// The NATS subjects of the chat API's integrations (examples/chat/portico.yaml) and the queue group
// the backend joins on them, so several backend processes share the events.
const (
	SubjectConnect     = "chat.connect"
	SubjectDisconnect  = "chat.disconnect"
	SubjectSendMessage = "chat.sendmessage"
	queueGroup         = "chat-backend"
)

// handlerTimeout bounds the work for one event, well inside the gateway's 29 s integration timeout.
const handlerTimeout = 10 * time.Second

// fanOut is the number of posts one message has in flight at a time.
const fanOut = 16

// Backend is the chat's Lambda-style backend on NATS: it answers the chat API's $connect,
// $disconnect and sendmessage events, keeps room membership in JetStream key-value and posts
// messages to room members through the @connections API. Start it once, Close it once.
type Backend struct {
	// Log receives errors and one line per join and leave. Zero value: no logs.
	Log *zap.Logger

	rooms *Rooms
	calls *connections.Client
	subs  []*nats.Subscription
}

// Start opens the chat_rooms bucket and subscribes the handlers on nc, which must reach a NATS
// server with JetStream.
func (b *Backend) Start(nc *nats.Conn) error {
	if b.Log == nil {
		b.Log = zap.NewNop()
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
	defer cancel()
	if b.rooms, err = OpenRooms(ctx, js); err != nil {
		return err
	}
	b.calls = connections.NewClient(nc)
	for subject, h := range map[string]func(context.Context, *events.APIGatewayWebsocketProxyRequest) events.APIGatewayProxyResponse{
		SubjectConnect:     b.connect,
		SubjectDisconnect:  b.disconnect,
		SubjectSendMessage: b.sendMessage,
	} {
		sub, err := nc.QueueSubscribe(subject, queueGroup, b.handle(h))
		if err != nil {
			_ = b.Close()
			return fmt.Errorf("subscribe %s: %w", subject, err)
		}
		b.subs = append(b.subs, sub)
	}
	if err := nc.Flush(); err != nil {
		_ = b.Close()
		return fmt.Errorf("subscribe: %w", err)
	}
	return nil
}

// Close stops taking events and returns once the events already received have been answered, so
// no gateway waits on a reply that will never come. The NATS connection stays open.
func (b *Backend) Close() error {
	var errs []error
	var waits []<-chan nats.SubStatus
	for _, s := range b.subs {
		closed := s.StatusChanged(nats.SubscriptionClosed)
		if err := s.Drain(); err != nil {
			if !errors.Is(err, nats.ErrConnectionClosed) {
				errs = append(errs, fmt.Errorf("drain %s: %w", s.Subject, err))
			}
			continue
		}
		waits = append(waits, closed)
	}
	deadline := time.NewTimer(handlerTimeout + time.Second)
	defer deadline.Stop()
	for _, closed := range waits {
		select {
		case <-closed:
		case <-deadline.C:
			return errors.Join(append(errs, errors.New("drain: events still running"))...)
		}
	}
	b.subs = nil
	return errors.Join(errs...)
}

// handle adapts a handler to NATS: it decodes the event, runs h and replies with the proxy response.
func (b *Backend) handle(h func(context.Context, *events.APIGatewayWebsocketProxyRequest) events.APIGatewayProxyResponse) nats.MsgHandler {
	return func(m *nats.Msg) {
		var ev events.APIGatewayWebsocketProxyRequest
		resp := respond(400, "bad event")
		if err := json.Unmarshal(m.Data, &ev); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), handlerTimeout)
			resp = h(ctx, &ev)
			cancel()
		}
		data, _ := json.Marshal(resp)
		if err := m.Respond(data); err != nil {
			b.Log.Warn("reply", zap.String("subject", m.Subject), zap.Error(err))
		}
	}
}

// connect records the client in the room its query names.
func (b *Backend) connect(ctx context.Context, ev *events.APIGatewayWebsocketProxyRequest) events.APIGatewayProxyResponse {
	id := ev.RequestContext.ConnectionID
	room, name, err := parseJoin(ev.QueryStringParameters, id)
	if err != nil {
		return respond(400, err.Error())
	}
	if err := b.rooms.Join(ctx, room, Member{ConnectionID: id, Name: name}); err != nil {
		b.Log.Error("join", zap.String("connectionId", id), zap.Error(err))
		return respond(500, "cannot join")
	}
	b.Log.Info("joined", zap.String("room", room), zap.String("name", name), zap.String("connectionId", id))
	return respond(200, "")
}

// disconnect removes the client from its room.
func (b *Backend) disconnect(ctx context.Context, ev *events.APIGatewayWebsocketProxyRequest) events.APIGatewayProxyResponse {
	id := ev.RequestContext.ConnectionID
	if err := b.rooms.Leave(ctx, id); err != nil {
		b.Log.Error("leave", zap.String("connectionId", id), zap.Error(err))
		return respond(500, "cannot leave")
	}
	b.Log.Info("left", zap.String("connectionId", id))
	return respond(200, "")
}

// sendMessage posts the client's text to every member of its room, itself included, and evicts
// members whose connection is gone.
func (b *Backend) sendMessage(ctx context.Context, ev *events.APIGatewayWebsocketProxyRequest) events.APIGatewayProxyResponse {
	id := ev.RequestContext.ConnectionID
	text, err := parseSendMessage(ev.Body)
	if err != nil {
		// A one-way route shows the client nothing of the reply, so tell it through @connections.
		hint, _ := json.Marshal(map[string]string{"message": err.Error()})
		if err := b.calls.Post(ctx, id, hint); err != nil {
			b.Log.Warn("post", zap.String("connectionId", id), zap.Error(err))
		}
		return respond(400, err.Error())
	}
	from, err := b.rooms.Membership(ctx, id)
	if err != nil {
		b.Log.Error("sendmessage", zap.String("connectionId", id), zap.Error(err))
		return respond(500, "not in a room")
	}
	members, err := b.rooms.Members(ctx, from.Room)
	if err != nil {
		b.Log.Error("sendmessage", zap.String("room", from.Room), zap.Error(err))
		return respond(500, "cannot read room")
	}
	msg, err := json.Marshal(Message{From: from.Name, Room: from.Room, Text: text})
	if err != nil {
		return respond(500, "cannot encode message")
	}
	b.broadcast(ctx, from.Room, members, msg)
	return respond(200, "")
}

// broadcast posts msg to members, fanOut at a time. NATS runs the sendmessage handler one event at
// a time in a process, so a member gets the messages one backend process posts in the order it
// handled them; a slow room holds up the rooms behind it, which a larger deployment would avoid with
// more backend processes in the queue group.
func (b *Backend) broadcast(ctx context.Context, room string, members []Member, msg []byte) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, fanOut)
	for _, m := range members {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			err := b.calls.Post(ctx, m.ConnectionID, msg)
			switch {
			case err == nil:
			case errors.Is(err, connections.ErrGone):
				if err := b.rooms.Evict(ctx, room, m.ConnectionID); err != nil {
					b.Log.Error("evict", zap.String("connectionId", m.ConnectionID), zap.Error(err))
					return
				}
				b.Log.Info("evicted stale member", zap.String("room", room), zap.String("connectionId", m.ConnectionID))
			default:
				b.Log.Warn("post", zap.String("connectionId", m.ConnectionID), zap.Error(err))
			}
		})
	}
	wg.Wait()
}

// respond is a Lambda proxy response; a body, if any, is a JSON message.
func respond(status int, message string) events.APIGatewayProxyResponse {
	resp := events.APIGatewayProxyResponse{StatusCode: status}
	if message != "" {
		body, _ := json.Marshal(map[string]string{"message": message})
		resp.Body = string(body)
	}
	return resp
}
