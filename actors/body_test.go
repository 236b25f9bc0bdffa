package actors

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine"
)

// lendingEcho is a lender: synchronously it echoes each body (a passthrough MOCK), twice when
// twice is set; with async it keeps the body and echoes it later from a goroutine, as an
// integration on its own goroutine does.
type lendingEcho struct {
	echoDispatcher
	async   bool
	twice   bool
	wg      sync.WaitGroup
	release chan struct{} // async replies wait for it, so later messages run before them
}

func (d *lendingEcho) MessageLent(c *engine.Connection, body []byte, rep engine.Replier) bool {
	if !d.async {
		d.Message(c, body, rep)
		if d.twice {
			rep.Reply(body[:len(body)/2])
		}
		return false
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		<-d.release
		rep.Reply(body)
	}()
	return true
}

// largeMessage is a pooled-size message that differs from every other i.
func largeMessage(i, size int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%08d", i)), size/8)
}

func TestPooledBodiesRepliesAreIntact(t *testing.T) {
	tests := []struct {
		name     string
		async    bool
		twice    bool
		deferred bool // the socket takes no frame at once: replies are written after the turn
	}{
		{name: "passthrough written in the turn"},
		{name: "passthrough written after the turn", deferred: true},
		{name: "two replies made of one body", twice: true, deferred: true},
		{name: "body kept by an asynchronous integration", async: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &lendingEcho{async: tt.async, twice: tt.twice, release: make(chan struct{})}
			s := newSystem(t, d, Options{})
			c, sock := open(t, s)
			sock.full.Store(tt.deferred)

			const n = 50
			var want []string
			for i := range n {
				msg := largeMessage(i, 4096)
				c.OnMessage(ws.OpText, msg)
				want = append(want, string(msg))
				if tt.twice {
					want = append(want, string(msg[:len(msg)/2]))
				}
			}
			close(d.release)
			per := 1
			if tt.twice {
				per = 2
			}
			require.Eventually(t, func() bool { return len(sock.written()) == n*per }, 5*time.Second, time.Millisecond)
			d.wg.Wait()
			got := sock.written()
			if tt.async {
				require.ElementsMatch(t, want, got)
				return
			}
			require.Equal(t, want, got)
		})
	}
}

func TestBodyClassCoversPooledSizes(t *testing.T) {
	tests := []struct {
		n, class int
	}{
		{0, -1},
		{minPooledBody - 1, -1},
		{minPooledBody, 0},
		{minPooledBody + 1, 1},
		{4096, 2},
		{4096 + 14, 3},
		{maxPooledBody, bodyClasses - 1},
		{maxPooledBody + 1, -1},
	}
	p := newBodyPool()
	for _, tt := range tests {
		require.Equal(t, tt.class, bodyClass(tt.n), "size %d", tt.n)
		bp := p.get(tt.n)
		if tt.class < 0 {
			require.Nil(t, bp)
			continue
		}
		require.GreaterOrEqual(t, cap(*bp), tt.n)
		require.Equal(t, minPooledBody<<tt.class, cap(*bp))
		p.put(bp)
	}
}

func TestOverlapsSeesSharedMemoryOnly(t *testing.T) {
	buf := make([]byte, 100)
	other := make([]byte, 100)
	tests := []struct {
		name string
		a    []byte
		want bool
	}{
		{"the same slice", buf, true},
		{"a part of it", buf[40:60], true},
		{"its last byte", buf[99:], true},
		{"empty", buf[:0], false},
		{"another buffer", other, false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, overlaps(tt.a, buf), tt.name)
	}
}
