package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/nats-io/nats.go/jetstream"
)

// Bucket is the JetStream key-value bucket that holds room membership.
const Bucket = "chat_rooms"

// maxAttempts bounds the optimistic-concurrency retries of one room update. Each conflict means
// another writer succeeded, so running out takes that many concurrent joins or leaves in one room.
const maxAttempts = 100

// Member is one client in a room, as stored in the room's member list.
type Member struct {
	ConnectionID string `json:"connectionId"`
	Name         string `json:"name"`
}

// Membership is what the bucket records about one connection: its room and name.
type Membership struct {
	Room string `json:"room"`
	Name string `json:"name"`
}

// ErrNotMember reports a connection that is in no room.
var ErrNotMember = errors.New("not a member of any room")

// Rooms keeps room membership in the chat_rooms bucket, under two kinds of key:
//
//	room.<room>  the room's member list, a JSON array of Member, updated with optimistic concurrency
//	conn.<id>    the connection's Membership, written only by that connection's $connect and $disconnect
//
// A key per room makes the hot path (a message fans out to the room) one read of one key; joins and
// leaves are rarer and pay for it with a compare-and-set that retries when another node's client
// joined or left the same room in between. The conn key answers "which room is this connection in",
// which $disconnect and sendmessage events do not carry. Safe for concurrent use, also by several
// backend processes on one bucket.
type Rooms struct {
	kv jetstream.KeyValue
}

// OpenRooms creates the chat_rooms bucket, or opens it if it exists.
func OpenRooms(ctx context.Context, js jetstream.JetStream) (*Rooms, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      Bucket,
		Description: "Portico chat example: room membership",
	})
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", Bucket, err)
	}
	return &Rooms{kv: kv}, nil
}

func roomKey(room string) string { return "room." + room }
func connKey(id string) string   { return "conn." + id }

// Join records the connection as a member of room under name. Joining again replaces the name.
func (r *Rooms) Join(ctx context.Context, room string, m Member) error {
	rec, err := json.Marshal(Membership{Room: room, Name: m.Name})
	if err != nil {
		return fmt.Errorf("join %s: %w", room, err)
	}
	if _, err := r.kv.Put(ctx, connKey(m.ConnectionID), rec); err != nil {
		return fmt.Errorf("join %s: record %s: %w", room, m.ConnectionID, err)
	}
	return r.update(ctx, room, func(members []Member) []Member {
		members = slices.DeleteFunc(members, func(x Member) bool { return x.ConnectionID == m.ConnectionID })
		return append(members, m)
	})
}

// Leave removes the connection from its room. A connection in no room is not an error: $disconnect
// may run for a client whose $connect was refused, or twice.
func (r *Rooms) Leave(ctx context.Context, connectionID string) error {
	ms, err := r.Membership(ctx, connectionID)
	if errors.Is(err, ErrNotMember) {
		return nil
	}
	if err != nil {
		return err
	}
	return r.Evict(ctx, ms.Room, connectionID)
}

// Evict removes the connection from room and forgets its membership, whether or not it was
// recorded; the sender of a message uses it for members whose connection is gone.
func (r *Rooms) Evict(ctx context.Context, room, connectionID string) error {
	err := r.update(ctx, room, func(members []Member) []Member {
		return slices.DeleteFunc(members, func(x Member) bool { return x.ConnectionID == connectionID })
	})
	if err != nil {
		return err
	}
	if err := r.kv.Delete(ctx, connKey(connectionID)); err != nil {
		return fmt.Errorf("evict %s: %w", connectionID, err)
	}
	return nil
}

// Membership returns the room and name of a connection, or ErrNotMember.
func (r *Rooms) Membership(ctx context.Context, connectionID string) (Membership, error) {
	var ms Membership
	e, err := r.kv.Get(ctx, connKey(connectionID))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return ms, fmt.Errorf("connection %s: %w", connectionID, ErrNotMember)
	}
	if err != nil {
		return ms, fmt.Errorf("connection %s: %w", connectionID, err)
	}
	if err := json.Unmarshal(e.Value(), &ms); err != nil {
		return ms, fmt.Errorf("connection %s: bad record: %w", connectionID, err)
	}
	return ms, nil
}

// Members returns the members of room in the order they joined; an unknown room has none.
func (r *Rooms) Members(ctx context.Context, room string) ([]Member, error) {
	members, _, err := r.load(ctx, room)
	return members, err
}

// load reads the member list of room and its revision; revision 0 means the key does not exist.
func (r *Rooms) load(ctx context.Context, room string) ([]Member, uint64, error) {
	e, err := r.kv.Get(ctx, roomKey(room))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("room %s: %w", room, err)
	}
	var members []Member
	if err := json.Unmarshal(e.Value(), &members); err != nil {
		return nil, 0, fmt.Errorf("room %s: bad member list: %w", room, err)
	}
	return members, e.Revision(), nil
}

// update applies change to the member list of room with compare-and-set: it writes only if the key
// is still at the revision it read, and reads again when another writer got there first. A room
// left empty is deleted.
func (r *Rooms) update(ctx context.Context, room string, change func([]Member) []Member) error {
	for range maxAttempts {
		members, rev, err := r.load(ctx, room)
		if err != nil {
			return err
		}
		next := change(members)
		err = r.store(ctx, room, next, rev)
		if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue // someone else changed the room since load: read it again
		}
		return err
	}
	return fmt.Errorf("room %s: %d conflicting updates in a row", room, maxAttempts)
}

// store writes members as room's list if the key is still at rev (0: absent or deleted).
func (r *Rooms) store(ctx context.Context, room string, members []Member, rev uint64) error {
	key := roomKey(room)
	var err error
	switch {
	case len(members) == 0 && rev == 0:
		return nil
	case len(members) == 0:
		err = r.kv.Delete(ctx, key, jetstream.LastRevision(rev))
	default:
		data, merr := json.Marshal(members)
		if merr != nil {
			return fmt.Errorf("room %s: %w", room, merr)
		}
		if rev == 0 {
			_, err = r.kv.Create(ctx, key, data)
		} else {
			_, err = r.kv.Update(ctx, key, data, rev)
		}
	}
	if err != nil {
		return fmt.Errorf("room %s: %w", room, err)
	}
	return nil
}
