package actors

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/internal/wait"
)

// fakeSocket stands in for transport.Conn: it records frames and reports its close to the
// connection, as the transport does.
type fakeSocket struct {
	mu     sync.Mutex
	frames []string
	code   ws.StatusCode
	conn   atomic.Pointer[Connection]
	closed atomic.Bool

	full    atomic.Bool   // the socket takes nothing without waiting
	refused atomic.Int32  // TryWrite calls refused
	blocked chan struct{} // when set, writes wait until it is closed
}

func (s *fakeSocket) WriteText(p []byte) error   { return s.write(p) }
func (s *fakeSocket) WriteBinary(p []byte) error { return s.write(p) }

// TryWriteText and TryWriteBinary refuse while full is set, as a socket whose client stopped
// reading does.
func (s *fakeSocket) TryWriteText(p []byte) (bool, error)   { return s.tryWrite(p) }
func (s *fakeSocket) TryWriteBinary(p []byte) (bool, error) { return s.tryWrite(p) }

func (s *fakeSocket) tryWrite(p []byte) (bool, error) {
	if s.full.Load() {
		s.refused.Add(1)
		return false, nil
	}
	return true, s.write(p)
}

func (s *fakeSocket) write(p []byte) error {
	if s.blocked != nil {
		<-s.blocked
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames = append(s.frames, string(p))
	return nil
}

func (s *fakeSocket) Close(code ws.StatusCode, reason string) error {
	if s.closed.Swap(true) {
		return nil
	}
	s.mu.Lock()
	s.code = code
	s.mu.Unlock()
	s.conn.Load().OnClose(code, reason)
	return nil
}

func (s *fakeSocket) closeCode() ws.StatusCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

func (s *fakeSocket) written() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.frames...)
}

// echoDispatcher replies with each message, on the actor's goroutine as a MOCK route does, and
// counts disconnects.
type echoDispatcher struct {
	inTurn       atomic.Int32 // turns of Message under way, to see that they never overlap
	overlapped   atomic.Bool
	disconnected atomic.Int32
	goroutine    func() // called from Message, to see where it runs
}

func (d *echoDispatcher) Message(_ *engine.Connection, body []byte, rep engine.Replier) {
	if string(body) == "panic" {
		panic("dispatcher bug")
	}
	if d.inTurn.Add(1) > 1 {
		d.overlapped.Store(true)
	}
	if d.goroutine != nil {
		d.goroutine()
	}
	rep.Reply(body)
	d.inTurn.Add(-1)
}

func (d *echoDispatcher) Disconnect(*engine.Connection, int, string) { d.disconnected.Add(1) }

func open(t testing.TB, s *System) (*Connection, *fakeSocket) {
	t.Helper()
	sock := &fakeSocket{}
	info := &engine.Connection{ID: NewConnectionID(TagOf("test")), ConnectedAt: time.Now()}
	c := s.Open(info, sock)
	sock.conn.Store(c)
	return c, sock
}

func newSystem(t testing.TB, d Dispatcher, opts Options) *System {
	t.Helper()
	s := NewSystem(d, opts)
	t.Cleanup(s.Shutdown)
	return s
}

func TestClientMessageIsHandledOnTheReadingGoroutineWhenTheActorIsIdle(t *testing.T) {
	var handled atomic.Bool
	d := &echoDispatcher{goroutine: func() { handled.Store(true) }}
	s := newSystem(t, d, Options{})
	c, sock := open(t, s)
	c.OnMessage(ws.OpText, []byte("hello"))
	require.True(t, handled.Load(), "the turn ran before OnMessage returned")
	require.Equal(t, []string{"hello"}, sock.written(), "the reply was written in the same turn")
}

func TestReplyTheSocketCannotTakeAtOnceIsWrittenFromAnotherGoroutineInOrder(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{})
	c, sock := open(t, s)
	sock.full.Store(true)
	sock.blocked = make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 3 {
			c.OnMessage(ws.OpText, []byte(fmt.Sprint("m", i)))
		}
	}()
	select {
	case <-done: // the reading goroutine never waited on the socket
	case <-time.After(5 * time.Second):
		t.Fatal("OnMessage waited on a socket that could not take the reply")
	}
	require.Positive(t, sock.refused.Load())
	close(sock.blocked)
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if n := len(sock.written()); n != 3 {
			return fmt.Errorf("%d replies written", n)
		}
		return nil
	})
	require.Equal(t, []string{"m0", "m1", "m2"}, sock.written())
}

func TestMessagesPilingUpBehindAStuckReplyCloseTheConnectionWith1008(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{OutboundQueueBytes: 4096})
	c, sock := open(t, s)
	sock.full.Store(true)
	sock.blocked = make(chan struct{})
	msg := make([]byte, 1000)
	for i := 0; i < 100 && !sock.closed.Load(); i++ {
		c.OnMessage(ws.OpText, msg)
	}
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if !sock.closed.Load() {
			return errors.New("connection still open")
		}
		return nil
	})
	require.Equal(t, CloseQueueFull, sock.closeCode())
	close(sock.blocked)
	require.ErrorIs(t, c.Post([]byte("late")), ErrGone)
}

func TestPanicInATurnLeavesTheConnectionServingLaterMessages(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{})
	c, sock := open(t, s)
	c.OnMessage(ws.OpText, []byte("panic"))
	c.OnMessage(ws.OpText, []byte("after"))
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if got := sock.written(); len(got) != 1 || got[0] != "after" {
			return fmt.Errorf("written %q", got)
		}
		return nil
	})
	require.False(t, sock.closed.Load())
}

func TestMessagesAndPostsAreHandledOneAtATimeInOrder(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{})
	c, sock := open(t, s)
	const posters, each = 4, 200
	var wg sync.WaitGroup
	for p := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				require.NoError(t, c.Post([]byte(fmt.Sprintf("p%d-%d", p, i))))
			}
		}()
	}
	for i := range each {
		c.OnMessage(ws.OpText, []byte(fmt.Sprintf("m-%d", i)))
	}
	wg.Wait()
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if n := len(sock.written()); n != (posters+1)*each {
			return fmt.Errorf("%d frames written", n)
		}
		return nil
	})
	require.False(t, d.overlapped.Load(), "two turns of one actor overlapped")
	next := map[string]int{}
	for _, f := range sock.written() {
		var who string
		var i int
		if f[0] == 'm' {
			who = "m"
			_, _ = fmt.Sscanf(f, "m-%d", &i)
		} else {
			var p int
			_, _ = fmt.Sscanf(f, "p%d-%d", &p, &i)
			who = fmt.Sprint(p)
		}
		require.Equal(t, next[who], i, "frames of one sender arrive in order")
		next[who]++
	}
}

func TestIdleConnectionIsClosedWithGoingAway(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{IdleTimeout: 80 * time.Millisecond})
	start := time.Now()
	c, sock := open(t, s)
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if !sock.closed.Load() {
			return errors.New("idle connection still open")
		}
		return nil
	})
	require.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
	require.Equal(t, ws.StatusGoingAway, sock.closeCode())
	require.ErrorIs(t, c.Post([]byte("late")), ErrGone)
	wait.For(t, 5*time.Second, 2*time.Millisecond, func() error {
		if d.disconnected.Load() != 1 || s.Count() != 0 {
			return fmt.Errorf("disconnects %d, count %d", d.disconnected.Load(), s.Count())
		}
		return nil
	})
	_, ok := s.Get(c.ID())
	require.False(t, ok)
}

func TestMessagesPostponeTheIdleDeadlineButNotTheLifetime(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{IdleTimeout: 150 * time.Millisecond, MaxConnectionDuration: 600 * time.Millisecond})
	start := time.Now()
	c, sock := open(t, s)
	for !sock.closed.Load() && time.Since(start) < 5*time.Second {
		c.OnMessage(ws.OpText, []byte("x"))
		time.Sleep(20 * time.Millisecond) // the client's pacing, not synchronisation
	}
	require.True(t, sock.closed.Load())
	require.GreaterOrEqual(t, time.Since(start), 600*time.Millisecond, "activity kept the idle deadline away")
	require.Equal(t, ws.StatusGoingAway, sock.closeCode())
}

func TestCloseAllAndWaitRunEveryDisconnect(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{})
	conns := make([]*Connection, 100)
	for i := range conns {
		conns[i], _ = open(t, s)
	}
	require.Equal(t, 100, s.Count())
	for _, c := range conns {
		got, ok := s.Get(c.ID())
		require.True(t, ok)
		require.Same(t, c, got)
	}
	s.CloseAll(ws.StatusGoingAway, "Going away")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.Wait(ctx))
	require.EqualValues(t, 100, d.disconnected.Load())
	require.Zero(t, s.Count())
}

func TestUnknownConnectionIsNotFound(t *testing.T) {
	s := newSystem(t, &echoDispatcher{}, Options{})
	for _, id := range []string{"", "nope", NewConnectionID(TagOf("test"))} {
		_, ok := s.Get(id)
		require.False(t, ok, id)
	}
}

// BenchmarkIdleConnectionFootprint reports the heap an idle connection's actor costs (its
// engine.Connection and socket excluded), and its goroutines.
func BenchmarkIdleConnectionFootprint(b *testing.B) {
	const n = 10000
	infos := make([]*engine.Connection, n)
	socks := make([]*fakeSocket, n)
	for i := range infos {
		infos[i] = &engine.Connection{ID: NewConnectionID(TagOf("bench")), ConnectedAt: time.Now()}
		socks[i] = &fakeSocket{}
	}
	conns := make([]*Connection, n)
	var heap, goroutines float64
	for range b.N {
		s := NewSystem(&echoDispatcher{}, Options{})
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g := runtime.NumGoroutine()
		for i := range conns {
			conns[i] = s.Open(infos[i], socks[i])
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap += float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / n
		goroutines += float64(runtime.NumGoroutine()-g) / n
		b.StopTimer()
		clear(conns)
		s.Shutdown()
		b.StartTimer()
	}
	b.ReportMetric(heap/float64(b.N), "heap-B/conn")
	b.ReportMetric(goroutines/float64(b.N), "goroutines/conn")
}

func TestSetLimitsAppliesToOpenConnections(t *testing.T) {
	d := &echoDispatcher{}
	s := newSystem(t, d, Options{IdleTimeout: time.Hour})
	require.Equal(t, Limits{IdleTimeout: time.Hour, MaxConnectionDuration: 2 * time.Hour, OutboundQueueBytes: 1 << 20}, s.Limits(),
		"zero options take the config's defaults")
	_, sock := open(t, s)
	s.SetLimits(Limits{IdleTimeout: 50 * time.Millisecond})
	require.Equal(t, Limits{IdleTimeout: 50 * time.Millisecond, MaxConnectionDuration: 2 * time.Hour, OutboundQueueBytes: 1 << 20}, s.Limits(),
		"zero fields keep their value")
	wait.For(t, 10*time.Second, 5*time.Millisecond, func() error {
		if !sock.closed.Load() {
			return errors.New("connection still open under the shorter idle timeout")
		}
		return nil
	})
	require.Equal(t, ws.StatusGoingAway, sock.closeCode())
}
