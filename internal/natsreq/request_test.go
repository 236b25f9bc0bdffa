package natsreq_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/internal/natsreq"
	"github.com/portico-gateway/portico/internal/testutil"
)

// classes are the sentinels of natsreq; each failure must wrap exactly the one the test expects.
var classes = []error{natsreq.ErrNoResponders, natsreq.ErrTimeout, natsreq.ErrUnavailable}

func requireClass(t *testing.T, err, want error) {
	t.Helper()
	require.Error(t, err)
	for _, c := range classes {
		require.Equal(t, c == want, errors.Is(err, c), "%v: class %v", err, c)
	}
}

// silent subscribes to subject without ever answering; the returned channel gets each request.
func silent(t *testing.T, nc *nats.Conn, subject string) <-chan *nats.Msg {
	t.Helper()
	got := make(chan *nats.Msg, 16)
	sub, err := nc.Subscribe(subject, func(m *nats.Msg) { got <- m })
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	require.NoError(t, nc.Flush())
	return got
}

func TestRequestGetsReply(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	sub, err := nc.Subscribe("echo", func(m *nats.Msg) { _ = m.Respond(m.Data) })
	require.NoError(t, err)
	defer func() { _ = sub.Unsubscribe() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rep, err := natsreq.Request(ctx, nc, natsreq.NewState(), &nats.Msg{Subject: "echo", Data: []byte("hi")})
	require.NoError(t, err)
	require.Equal(t, "hi", string(rep.Data))
}

func TestRequestWithoutSubscriberHasNoResponders(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := natsreq.Request(ctx, nc, nil, &nats.Msg{Subject: "nobody.here"})
	requireClass(t, err, natsreq.ErrNoResponders)
	require.ErrorIs(t, err, nats.ErrNoResponders, "the NATS client's error is wrapped too")
	require.Contains(t, err.Error(), "nobody.here")
}

func TestRequestWithoutReplyTimesOut(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	silent(t, nc, "slow")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := natsreq.Request(ctx, nc, natsreq.NewState(), &nats.Msg{Subject: "slow"})
	requireClass(t, err, natsreq.ErrTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRequestFailsWhenServerShutsDownMidRequest(t *testing.T) {
	for _, followed := range []bool{true, false} {
		name := "state follows the connection"
		if !followed {
			name = "no state"
		}
		t.Run(name, func(t *testing.T) {
			ns := testutil.StartNATS(t)
			state := natsreq.NewState()
			opts := []nats.Option{nats.MaxReconnects(-1), nats.ReconnectWait(10 * time.Millisecond)}
			if followed {
				opts = append(opts, nats.DisconnectErrHandler(func(*nats.Conn, error) { state.Disconnected() }))
			} else {
				state = nil
			}
			nc, err := nats.Connect(ns.ClientURL(), opts...)
			require.NoError(t, err)
			defer nc.Close()
			got := silent(t, nc, "work")

			// With the state following the connection the request fails as the connection drops;
			// without it, at its deadline, as unavailable rather than timed out.
			timeout := time.Minute
			if !followed {
				timeout = 500 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := natsreq.Request(ctx, nc, state, &nats.Msg{Subject: "work"})
				done <- err
			}()
			<-got
			ns.Shutdown()
			requireClass(t, <-done, natsreq.ErrUnavailable)

			// While the connection is down, requests fail at once.
			_, err = natsreq.Request(ctx, nc, state, &nats.Msg{Subject: "work"})
			requireClass(t, err, natsreq.ErrUnavailable)
		})
	}
}

func TestRequestFailsWhenStateDisconnectsMidRequest(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	got := silent(t, nc, "work")
	state := natsreq.NewState()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := natsreq.Request(ctx, nc, state, &nats.Msg{Subject: "work"})
		done <- err
	}()
	<-got
	state.Disconnected()
	err := <-done
	requireClass(t, err, natsreq.ErrUnavailable)
	require.NoError(t, ctx.Err(), "the caller's context is untouched")
	require.True(t, state.Down())

	// Down: fails before sending.
	_, err = natsreq.Request(ctx, nc, state, &nats.Msg{Subject: "work"})
	requireClass(t, err, natsreq.ErrUnavailable)
	select {
	case <-got:
		t.Fatal("a request was sent while the state was down")
	default:
	}

	// Reconnected: requests go through again.
	state.Reconnected()
	require.False(t, state.Down())
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	_, err = natsreq.Request(short, nc, state, &nats.Msg{Subject: "work"})
	requireClass(t, err, natsreq.ErrTimeout)
}

func TestRequestOnClosedConnectionIsUnavailable(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := natsreq.Request(ctx, nc, nil, &nats.Msg{Subject: "x"})
	requireClass(t, err, natsreq.ErrUnavailable)
	require.ErrorIs(t, err, nats.ErrConnectionClosed)
	_, err = natsreq.Request(ctx, nil, nil, &nats.Msg{Subject: "x"})
	requireClass(t, err, natsreq.ErrUnavailable)
}

func TestRequestCancelledByCallerIsNoClass(t *testing.T) {
	ns := testutil.StartNATS(t)
	nc := testutil.ConnectNATS(t, ns.ClientURL())
	got := silent(t, nc, "work")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := natsreq.Request(ctx, nc, natsreq.NewState(), &nats.Msg{Subject: "work"})
		done <- err
	}()
	<-got
	cancel()
	err := <-done
	requireClass(t, err, nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestNilStateNeverCancels(t *testing.T) {
	var s *natsreq.State
	ctx, release, down := s.Bind(context.Background())
	defer release()
	require.False(t, down)
	require.False(t, s.Down())
	require.NoError(t, ctx.Err())
	s2 := natsreq.NewState()
	ctx2, release2, _ := s2.Bind(context.Background())
	release2()
	s2.Disconnected()
	require.ErrorIs(t, ctx2.Err(), context.Canceled, "released contexts are cancelled by release")
}
