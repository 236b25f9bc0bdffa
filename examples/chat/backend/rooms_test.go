package main

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/testutil"
)

func openRooms(t *testing.T) *Rooms {
	t.Helper()
	ns := testutil.StartNATS(t)
	js, err := jetstream.New(testutil.ConnectNATS(t, ns.ClientURL()))
	require.NoError(t, err)
	r, err := OpenRooms(context.Background(), js)
	require.NoError(t, err)
	return r
}

func TestConcurrentJoinsAndLeavesAllLand(t *testing.T) {
	r := openRooms(t)
	ctx := context.Background()
	const n = 24
	id := func(i int) string { return fmt.Sprintf("conn%020d", i) }
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() { errs <- r.Join(ctx, "busy", Member{ConnectionID: id(i), Name: fmt.Sprint("user", i)}) })
	}
	wg.Wait()
	members, err := r.Members(ctx, "busy")
	require.NoError(t, err)
	require.Len(t, members, n, "every concurrent join is kept: compare-and-set retried the conflicts")

	for i := range n / 2 {
		wg.Go(func() { errs <- r.Leave(ctx, id(i)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	members, err = r.Members(ctx, "busy")
	require.NoError(t, err)
	require.Len(t, members, n/2)
	for _, m := range members {
		require.GreaterOrEqual(t, m.ConnectionID, id(n/2))
	}
}

func TestRoomLifecycle(t *testing.T) {
	r := openRooms(t)
	ctx := context.Background()
	require.NoError(t, r.Join(ctx, "a", Member{ConnectionID: "c1", Name: "ann"}))
	require.NoError(t, r.Join(ctx, "a", Member{ConnectionID: "c2", Name: "ben"}))
	require.NoError(t, r.Join(ctx, "a", Member{ConnectionID: "c1", Name: "anna"}), "joining again renames")
	members, err := r.Members(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, []Member{{"c2", "ben"}, {"c1", "anna"}}, members)
	ms, err := r.Membership(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, Membership{Room: "a", Name: "anna"}, ms)

	require.NoError(t, r.Leave(ctx, "c1"))
	require.NoError(t, r.Leave(ctx, "c1"), "leaving twice is harmless")
	require.NoError(t, r.Leave(ctx, "never-joined"))
	_, err = r.Membership(ctx, "c1")
	require.ErrorIs(t, err, ErrNotMember)

	require.NoError(t, r.Evict(ctx, "a", "c2"))
	members, err = r.Members(ctx, "a")
	require.NoError(t, err)
	require.Empty(t, members)

	// A deleted room key comes back on the next join.
	require.NoError(t, r.Join(ctx, "a", Member{ConnectionID: "c3", Name: "cy"}))
	members, err = r.Members(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, []Member{{"c3", "cy"}}, members)
}

func TestUnknownRoomHasNoMembers(t *testing.T) {
	r := openRooms(t)
	members, err := r.Members(context.Background(), "nobody-here")
	require.NoError(t, err)
	require.Empty(t, members)
}
