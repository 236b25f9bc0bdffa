package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/internal/testutil"
)

// cluster is two Portico nodes serving ../portico.yaml on one NATS server with JetStream, and the
// chat backend running against the same NATS.
type cluster struct {
	nodes [2]*portico.Node
	rooms *Rooms
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	yaml, err := os.ReadFile("../portico.yaml")
	require.NoError(t, err)
	ns := testutil.StartNATS(t)
	// The backend starts first so that it stops last: nodes run $disconnect while they drain.
	b := &Backend{Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))}
	require.NoError(t, b.Start(testutil.ConnectNATS(t, ns.ClientURL())))
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	c := &cluster{rooms: b.rooms}
	for i := range c.nodes {
		cfg := testutil.LoadConfig(t, string(yaml))
		cfg.Node.NATS = ns.ClientURL()
		c.nodes[i] = testutil.StartNode(t, cfg)
	}
	return c
}

// join connects a client to node i with room and name in the query.
func (c *cluster) join(t *testing.T, i int, room, name string) *websocket.Conn {
	t.Helper()
	q := url.Values{}
	if room != "" {
		q.Set("room", room)
	}
	if name != "" {
		q.Set("name", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, testutil.WSURL(c.nodes[i], "prod")+"?"+q.Encode(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

// names returns the names of room's members in the bucket.
func (c *cluster) names(room string) ([]string, error) {
	members, err := c.rooms.Members(context.Background(), room)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(members))
	for _, m := range members {
		names = append(names, m.Name)
	}
	slices.Sort(names)
	return names, nil
}

// waitMembers polls the bucket until room has exactly names.
func (c *cluster) waitMembers(t *testing.T, room string, names ...string) {
	t.Helper()
	slices.Sort(names)
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		got, err := c.names(room)
		if err != nil {
			return err
		}
		if !slices.Equal(got, names) {
			return fmt.Errorf("room %s has %v, want %v", room, got, names)
		}
		return nil
	})
}

func send(t *testing.T, ws *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, ws.Write(ctx, websocket.MessageText, []byte(msg)))
}

func read(t *testing.T, ws *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, data, err := ws.Read(ctx)
	require.NoError(t, err)
	return string(data)
}

func readMessage(t *testing.T, ws *websocket.Conn) Message {
	t.Helper()
	raw := read(t, ws)
	var m Message
	require.NoError(t, json.Unmarshal([]byte(raw), &m), "frame %s", raw)
	return m
}

func TestMessageCrossesNodesAndLeaveDropsMember(t *testing.T) {
	c := startCluster(t)
	alice := c.join(t, 0, "ops", "alice")
	bob := c.join(t, 1, "ops", "bob")
	c.waitMembers(t, "ops", "alice", "bob")
	members, err := c.rooms.Members(context.Background(), "ops")
	require.NoError(t, err)
	require.NotEqual(t, members[0].ConnectionID[:8], members[1].ConnectionID[:8], "the clients are on different nodes")

	send(t, alice, `{"action":"sendmessage","data":"hello from node 1"}`)
	want := Message{From: "alice", Room: "ops", Text: "hello from node 1"}
	require.Equal(t, want, readMessage(t, bob), "the client on node 2 gets the message")
	require.Equal(t, want, readMessage(t, alice), "the sender gets its own message")

	send(t, bob, `{"action":"sendmessage","data":"hi alice"}`)
	want = Message{From: "bob", Room: "ops", Text: "hi alice"}
	require.Equal(t, want, readMessage(t, alice))
	require.Equal(t, want, readMessage(t, bob))

	require.NoError(t, bob.Close(websocket.StatusNormalClosure, "bye"))
	c.waitMembers(t, "ops", "alice")
	for _, m := range members {
		ms, err := c.rooms.Membership(context.Background(), m.ConnectionID)
		if m.Name == "bob" {
			require.ErrorIs(t, err, ErrNotMember, "bob's record is deleted")
		} else {
			require.NoError(t, err)
			require.Equal(t, Membership{Room: "ops", Name: "alice"}, ms)
		}
	}

	require.NoError(t, alice.Close(websocket.StatusNormalClosure, "bye"))
	c.waitMembers(t, "ops")
	_, err = c.rooms.kv.Get(context.Background(), roomKey("ops"))
	require.ErrorIs(t, err, jetstream.ErrKeyNotFound, "an empty room's key is deleted")
}

func TestMessagesStayInTheirRoom(t *testing.T) {
	c := startCluster(t)
	alice := c.join(t, 0, "", "alice") // default room
	carol := c.join(t, 1, "lobby", "carol")
	dave := c.join(t, 1, "other", "dave")
	c.waitMembers(t, DefaultRoom, "alice", "carol")
	c.waitMembers(t, "other", "dave")

	send(t, alice, `{"action":"sendmessage","data":"lobby only"}`)
	require.Equal(t, "lobby only", readMessage(t, carol).Text)
	require.Equal(t, "lobby only", readMessage(t, alice).Text)
	send(t, dave, `{"action":"sendmessage","data":"alone"}`)
	m := readMessage(t, dave)
	require.Equal(t, Message{From: "dave", Room: "other", Text: "alone"}, m,
		"dave's first frame is his own message, so nothing from the lobby reached him")
}

func TestUnknownActionGetsUsageHint(t *testing.T) {
	c := startCluster(t)
	ws := c.join(t, 0, "", "")
	for _, msg := range []string{`{"action":"dance"}`, `not json`} {
		send(t, ws, msg)
		var hint struct{ Message string }
		raw := read(t, ws)
		require.NoError(t, json.Unmarshal([]byte(raw), &hint), "frame %s", raw)
		require.Contains(t, hint.Message, `{"action":"sendmessage","data":"your text"}`)
	}
}

func TestGuestGetsDefaultName(t *testing.T) {
	c := startCluster(t)
	ws := c.join(t, 1, "", "")
	send(t, ws, `{"action":"sendmessage","data":"who am i"}`)
	m := readMessage(t, ws)
	require.Regexp(t, `^guest-[A-Za-z0-9_-]{4}$`, m.From)
	require.Equal(t, DefaultRoom, m.Room)
}

func TestBadSendMessageIsAnsweredToTheSender(t *testing.T) {
	c := startCluster(t)
	ws := c.join(t, 0, "r", "ann")
	for _, msg := range []string{`{"action":"sendmessage","data":42}`, `{"action":"sendmessage"}`, `{"action":"sendmessage","data":"  "}`} {
		send(t, ws, msg)
		var frame map[string]string
		raw := read(t, ws)
		require.NoError(t, json.Unmarshal([]byte(raw), &frame), "frame %s", raw)
		require.NotEmpty(t, frame["message"], msg)
	}
	send(t, ws, `{"action":"sendmessage","data":"still here"}`)
	require.Equal(t, "still here", readMessage(t, ws).Text, "the connection stays open")
}

func TestConnectRefusesBadRoomOrName(t *testing.T) {
	c := startCluster(t)
	for _, q := range []string{"room=a.b", "room=" + url.QueryEscape("a b"), "name=" + url.QueryEscape("a\x01b"), "name=" + url.QueryEscape("0123456789012345678901234567890123")} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, resp, err := websocket.Dial(ctx, testutil.WSURL(c.nodes[0], "prod")+"?"+q, nil)
		cancel()
		require.Error(t, err, q)
		require.NotNil(t, resp, q)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, q)
	}
}

func TestGoneMemberIsEvicted(t *testing.T) {
	c := startCluster(t)
	alice := c.join(t, 0, "ops", "alice")
	c.waitMembers(t, "ops", "alice")
	members, err := c.rooms.Members(context.Background(), "ops")
	require.NoError(t, err)
	// A member whose $disconnect never ran: a well-formed id on node 1 that names no connection.
	ghost := members[0].ConnectionID[:8] + "AAAAAAAAAAAAAAAA"
	require.NoError(t, c.rooms.Join(context.Background(), "ops", Member{ConnectionID: ghost, Name: "ghost"}))
	c.waitMembers(t, "ops", "alice", "ghost")

	send(t, alice, `{"action":"sendmessage","data":"anyone?"}`)
	require.Equal(t, "anyone?", readMessage(t, alice).Text)
	c.waitMembers(t, "ops", "alice")
	_, err = c.rooms.Membership(context.Background(), ghost)
	require.True(t, errors.Is(err, ErrNotMember), "the ghost's record is gone too: %v", err)
}
