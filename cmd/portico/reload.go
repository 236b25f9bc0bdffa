package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/engine/config"
)

// watchConfig reloads the node from the config file on SIGHUP and, with --watch, when the file
// changes (checked every second); load reads the file with the command line's overrides, as at
// start. A config that does not load is reported and the running deployment kept; what the node
// applied and what needs a restart is logged. The returned function stops watching.
func watchConfig(ctx context.Context, f *serveFlags, node *portico.Node, load func() (*config.Config, error), hup <-chan os.Signal, log *zap.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var tick <-chan time.Time
		if f.watch {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			tick = t.C
		}
		last := modTime(f.config)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			case <-tick:
				m := modTime(f.config)
				if m.Equal(last) {
					continue
				}
				last = m
			}
			cfg, err := load()
			if err != nil {
				log.Error("reload failed; the running deployment stays", zap.String("config", f.config), zap.Error(err))
				continue
			}
			res, err := node.Reload(cfg)
			if err != nil {
				log.Error("reload failed; the running deployment stays", zap.String("config", f.config), zap.Error(err))
				continue
			}
			log.Info("reloaded", zap.String("config", f.config), zap.Strings("applied", res.Applied),
				zap.Strings("notReloadable", res.NotReloadable))
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// quickCreate is the config of `serve --target URL`: an HTTP API whose $default route proxies every
// request to URL, on the $default stage, as API Gateway's quick create makes it.
func quickCreate(target string) (*config.Config, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--target %q: want an http(s) URL", target)
	}
	uri := target
	if u.Path == "" || u.Path == "/" {
		// The whole request path goes to the target, as the greedy {proxy} of quick create does.
		uri = u.Scheme + "://" + u.Host + "/{proxy}"
	}
	doc := fmt.Sprintf(`apis:
  - name: quickcreate
    protocolType: HTTP
    routes:
      - routeKey: ANY /{proxy+}
        integration: { integrationType: HTTP_PROXY, integrationUri: %q }
      - routeKey: $default
        integration: { integrationType: HTTP_PROXY, integrationUri: %q }
`, uri, target)
	return config.Parse("--target", []byte(doc))
}
