package main

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

func FuzzReadMessage(f *testing.F) {
	f.Add(serverFrame(true, ws.OpText, []byte(`{"data":"x"}`)))
	f.Add(append(serverFrame(false, ws.OpText, []byte("a")), serverFrame(true, ws.OpContinuation, []byte("b"))...))
	f.Add([]byte{0x81, 126, 0xff})
	f.Add([]byte{0x81, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 9})
	f.Fuzz(func(t *testing.T, stream []byte) {
		fr := frameReader{r: bytes.NewReader(stream)}
		for range 64 {
			msg, err := fr.readMessage()
			if err != nil {
				return
			}
			if len(msg) > maxReply {
				t.Fatalf("message of %d bytes over the limit", len(msg))
			}
		}
	})
}

func FuzzProcParsers(f *testing.F) {
	f.Add([]byte("VmRSS:\t 1024 kB\n"))
	f.Add([]byte("1 (a) b) R 1 2 3 4 5 6 7 8 9 10 11 12 13"))
	f.Add([]byte("go_goroutines 12\n# x\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		if rss, ok := vmRSS(text); ok && rss < 0 {
			t.Fatalf("negative rss %d", rss)
		}
		if d, ok := cpuTime(text); ok && d < 0 {
			t.Fatalf("negative cpu time %s", d)
		}
		_, _ = metricValue(text, "go_goroutines")
	})
}
