package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/portico-gateway/portico/engine/config"
)

// unitFile is a systemd unit: section → key → values, in file order.
type unitFile map[string]map[string][]string

func parseUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			require.True(t, ok, "%s:%d: not key=value: %q", path, n, line)
			require.NotEmpty(t, section, "%s:%d: key outside a section", path, n)
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	require.NoError(t, sc.Err())
	return u
}

func (u unitFile) one(t *testing.T, section, key string) string {
	t.Helper()
	vs := u[section][key]
	require.Len(t, vs, 1, "[%s] %s", section, key)
	return vs[0]
}

func TestSystemdUnitDrainsWithinItsStopTimeout(t *testing.T) {
	u := parseUnit(t, "../../deploy/portico.service")
	require.Contains(t, u, "Unit")
	require.Contains(t, u, "Install")
	require.Equal(t, "SIGTERM", u.one(t, "Service", "KillSignal"))
	require.Equal(t, "/bin/kill -HUP $MAINPID", u.one(t, "Service", "ExecReload"))
	require.Regexp(t, `^/\S+/portico serve --config \S+$`, u.one(t, "Service", "ExecStart"))
	user := u.one(t, "Service", "User")
	require.NotContains(t, []string{"", "root", "0"}, user, "a dedicated user")

	nofile := u.one(t, "Service", "LimitNOFILE")
	require.Regexp(t, `^[0-9]+$`, nofile)
	require.Greater(t, len(nofile), 4, "room for many connections")

	stop, err := time.ParseDuration(u.one(t, "Service", "TimeoutStopSec"))
	require.NoError(t, err)
	cfg, err := config.Parse("empty.yaml", []byte("{}"))
	require.NoError(t, err)
	require.Greater(t, stop, time.Duration(cfg.Node.DrainTimeout), "systemd must not kill a node that is still draining")
}

// dockerStage is one FROM ... AS name stage and its instructions.
type dockerStage struct {
	from, name string
	lines      []string
}

func parseDockerfile(t *testing.T, path string) []dockerStage {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var stages []dockerStage
	var cont string
	for _, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if cont != "" {
			line = cont + " " + line
			cont = ""
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cont = strings.TrimSuffix(line, `\`)
			continue
		}
		fields := strings.Fields(line)
		if strings.EqualFold(fields[0], "FROM") {
			s := dockerStage{from: fields[1]}
			if len(fields) == 4 && strings.EqualFold(fields[2], "AS") {
				s.name = fields[3]
			}
			stages = append(stages, s)
			continue
		}
		require.NotEmpty(t, stages, "instruction before FROM: %q", line)
		stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, line)
	}
	return stages
}

func TestDockerfileBuildsStaticBinaryRunAsNonRoot(t *testing.T) {
	stages := parseDockerfile(t, "../../Dockerfile")
	require.GreaterOrEqual(t, len(stages), 2, "multi-stage")
	build, run := stages[0], stages[len(stages)-1]

	goMod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(goMod)
	require.NotNil(t, goVersion)
	require.Equal(t, "golang:"+string(goVersion[1]), build.from, "the Go that go.mod asks for")
	require.True(t, hasInstruction(build.lines, "RUN", "CGO_ENABLED=0"), "a static binary")
	require.True(t, hasInstruction(build.lines, "RUN", "./cmd/portico"))

	require.True(t, hasInstruction(run.lines, "COPY", "--from="+build.name), "the run stage takes only the binary")
	var user string
	for _, l := range run.lines {
		if f := strings.Fields(l); strings.EqualFold(f[0], "USER") {
			user = f[1]
		}
	}
	require.NotEmpty(t, user, "USER in the run stage")
	name, _, _ := strings.Cut(user, ":")
	require.NotContains(t, []string{"root", "0"}, name)
	for _, port := range []string{"8080", "8081"} {
		require.True(t, hasInstruction(run.lines, "EXPOSE", port), "EXPOSE %s", port)
	}
	require.True(t, hasInstruction(run.lines, "VOLUME", "/etc/portico"))
	require.True(t, hasInstruction(run.lines, "CMD", "/etc/portico/portico.yaml"), "the config is read from the volume")
}

func hasInstruction(lines []string, instr, substr string) bool {
	for _, l := range lines {
		f := strings.Fields(l)
		if strings.EqualFold(f[0], instr) && strings.Contains(l, substr) {
			return true
		}
	}
	return false
}
