package testutil

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// StartNATSCluster starts n NATS servers on 127.0.0.1 with random client and cluster ports, routed
// to each other, and waits until every server sees every other.
func StartNATSCluster(t testing.TB, n int) []*server.Server {
	t.Helper()
	servers := make([]*server.Server, 0, n)
	var seed *url.URL
	for i := 0; i < n; i++ {
		opts := &server.Options{
			ServerName: fmt.Sprintf("s%d", i+1),
			Host:       "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true,
			Cluster: server.ClusterOpts{Name: "portico-test", Host: "127.0.0.1", Port: server.RANDOM_PORT},
		}
		if seed != nil {
			opts.Routes = []*url.URL{seed}
		}
		ns, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("nats server %d: %v", i, err)
		}
		go ns.Start()
		if !ns.ReadyForConnections(10 * time.Second) {
			t.Fatalf("nats server %d not ready", i)
		}
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
		if seed == nil {
			seed = &url.URL{Scheme: "nats", Host: ns.ClusterAddr().String()}
		}
		servers = append(servers, ns)
	}
	CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		for _, s := range servers {
			if got := s.NumRoutes(); got < n-1 {
				return fmt.Errorf("%s has %d routes, want %d", s.Name(), got, n-1)
			}
		}
		return nil
	})
	return servers
}
