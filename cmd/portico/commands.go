package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/portico-gateway/portico"
	"github.com/portico-gateway/portico/engine"
	"github.com/portico-gateway/portico/engine/config"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "portico",
		Short:         "A self-hosted WebSocket and API gateway in the Amazon API Gateway model",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newValidateCommand(), newVersionCommand())
	return root
}

// serveFlags are the flags of `portico serve`; each overrides the config file's node setting.
type serveFlags struct {
	config, listen, admin, nats, natsListen, nodeID, target string
	watch                                                   bool
}

// hangups receives SIGHUP from the process's first instant of Go code on: the default action of a
// SIGHUP that arrives before serve takes it over would end the process.
var hangups = make(chan os.Signal, 1)

func init() { signal.Notify(hangups, syscall.SIGHUP) }

func newServeCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve (--config FILE | --target URL)",
		Short: "Run a node",
		Long: "Run a node serving the APIs of --config. SIGHUP reloads the file (so does a change, with --watch).\n" +
			"--target URL without a config serves an HTTP API whose $default route proxies to URL, as quick create does.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Signals are taken over first: SIGHUP never ends the process (hangups, caught since
			// the package's init, reload once the node serves), and SIGTERM or SIGINT while the
			// node starts drains it once it does.
			signal.Notify(hangups, syscall.SIGHUP)
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGINT)
			defer stop()
			if (f.config == "") == (f.target == "") {
				return errors.New("give --config FILE or --target URL")
			}
			load := func() (*config.Config, error) { return loadConfig(cmd, &f) }
			cfg, err := load()
			if err != nil {
				return err
			}
			return serve(ctx, cfg, &f, load, hangups, cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "API definitions and node settings (YAML or JSON)")
	fl.StringVar(&f.listen, "listen", "", `client traffic address, HTTP and WebSocket (default ":8080")`)
	fl.StringVar(&f.admin, "admin", "", `health, readiness and metrics address (default "127.0.0.1:8081")`)
	fl.StringVar(&f.nats, "nats", "", "NATS URL to join; empty starts the embedded NATS server")
	fl.StringVar(&f.natsListen, "nats-listen", "", `embedded NATS server address for backends and nodes (default "127.0.0.1:4222")`)
	fl.StringVar(&f.nodeID, "node-id", "", "node id (default: random)")
	fl.StringVar(&f.target, "target", "", "quick create: serve an HTTP API proxying every request to this URL")
	fl.BoolVar(&f.watch, "watch", false, "reload the config file when it changes")
	return cmd
}

func loadConfig(cmd *cobra.Command, f *serveFlags) (*config.Config, error) {
	var cfg *config.Config
	var err error
	if f.target != "" {
		cfg, err = quickCreate(f.target)
	} else {
		cfg, err = config.Load(f.config)
	}
	if err != nil {
		return nil, err
	}
	fl := cmd.Flags()
	override := func(name string, dst *string, v string) {
		if fl.Changed(name) {
			*dst = v
		}
	}
	override("listen", &cfg.Node.Listen, f.listen)
	override("admin", &cfg.Node.Admin, f.admin)
	override("nats", &cfg.Node.NATS, f.nats)
	override("nats-listen", &cfg.Node.NATSListen, f.natsListen)
	override("node-id", &cfg.Node.NodeID, f.nodeID)
	return cfg, nil
}

// serve runs a node from cfg until ctx ends (SIGTERM or SIGINT); hup delivers SIGHUP, which
// reloads the config through load (and is ignored without a config file).
func serve(ctx context.Context, cfg *config.Config, f *serveFlags, load func() (*config.Config, error), hup <-chan os.Signal, stderr io.Writer) error {
	log, err := newLogger(cfg.Node.LogLevel, stderr)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	log.Debug("starting node; SIGHUP, SIGTERM and SIGINT are handled from here on",
		zap.String("listen", cfg.Node.Listen), zap.String("admin", cfg.Node.Admin))
	node, err := portico.New(cfg, log)
	if err != nil {
		return err
	}
	if f.config != "" {
		stopReload := watchConfig(ctx, f, node, load, hup, log)
		defer stopReload()
	}
	<-ctx.Done()
	log.Info("draining")
	dctx, cancel := context.WithTimeout(context.Background(), time.Duration(cfg.Node.DrainTimeout))
	defer cancel()
	if err := node.Shutdown(dctx); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	log.Info("stopped")
	return nil
}

func newValidateCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "validate --config FILE",
		Short: "Check a config file and print its APIs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(file)
			if err != nil {
				return err
			}
			dep, err := engine.Compile(cfg, engine.Deps{})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, api := range dep.APIs {
				fmt.Fprintf(out, "%s\t%s\t%s\t%d routes\t%d stages\n", api.ID, api.Name, api.ProtocolType, api.RouteCount(), len(api.Stages))
			}
			fmt.Fprintf(out, "%s: OK\n", file)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "config", "", "config file to check")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

func newLogger(level string, w io.Writer) (*zap.Logger, error) {
	lvl := zapcore.InfoLevel
	if level != "" {
		if err := lvl.Set(level); err != nil {
			return nil, errors.New("logLevel: " + err.Error())
		}
	}
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	core := zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.AddSync(w), lvl)
	return zap.New(core), nil
}
