// Package wait is the one condition poller of the project's tests: it checks a condition until it
// holds or time runs out, so tests wait on conditions, never on sleeps. It imports nothing of the
// project, so every package's tests can use it.
package wait

import (
	"testing"
	"time"
)

// For calls f every interval until it returns nil, failing the test with f's last error once total
// has passed.
func For(t testing.TB, total, interval time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v: %v", total, err)
		}
		time.Sleep(interval)
	}
}
