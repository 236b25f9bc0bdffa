package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time, `go build -ldflags "-X main.version=v1.2.3" ./cmd/portico`; when
// empty the module version from the build info is used ("(devel)" for a build from a checkout).
var version = ""

// buildInfo is what `portico version` prints.
type buildInfo struct {
	Version, GoVersion, Platform, Commit, CommitTime string
	Modified                                         bool
}

// readBuildInfo gathers buildInfo from ldflags, the binary's embedded build info and the runtime.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.Version == "" {
			b.Version = "unknown"
		}
		return b
	}
	if b.Version == "" {
		b.Version = info.Main.Version
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.CommitTime = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

func (b buildInfo) write(w io.Writer) {
	fmt.Fprintf(w, "portico %s\n", b.Version)
	fmt.Fprintf(w, "go:       %s\n", b.GoVersion)
	fmt.Fprintf(w, "platform: %s\n", b.Platform)
	if b.Commit != "" {
		suffix := ""
		if b.Modified {
			suffix = " (modified)"
		}
		fmt.Fprintf(w, "commit:   %s%s\n", b.Commit, suffix)
	}
	if b.CommitTime != "" {
		fmt.Fprintf(w, "time:     %s\n", b.CommitTime)
	}
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the Go version it was built with and its commit",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			readBuildInfo().write(cmd.OutOrStdout())
		},
	}
}
