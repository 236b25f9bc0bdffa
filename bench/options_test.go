package main

import (
	"bytes"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func parseOptions(t *testing.T, args ...string) (options, error) {
	t.Helper()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	var o options
	o.register(fs)
	require.NoError(t, fs.Parse(args))
	return o, o.finish()
}

func TestOptions(t *testing.T) {
	o, err := parseOptions(t)
	require.NoError(t, err)
	require.Equal(t, []string{"idle", "echo", "connect", "nats", "post", "http", "trickle"}, o.scenarios)
	require.Equal(t, 5*time.Second, o.duration)
	require.Nil(t, o.conns)

	o, err = parseOptions(t, "-quick", "-scenario", "idle", "-conns", "10000", "-sizes", "64, 4096")
	require.NoError(t, err)
	require.Equal(t, []string{"idle"}, o.scenarios)
	require.Equal(t, []int{10000}, o.conns)
	require.Equal(t, []int{64, 4096}, o.sizes)
	require.Equal(t, 2*time.Second, o.duration)
}

func TestOptionsRejectBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-scenario", "fanout"},
		{"-conns", "0"},
		{"-conns", "20000"},
		{"-conns", "ten"},
		{"-sizes", "100000000"},
		{"-duration", "-1s"},
	} {
		_, err := parseOptions(t, args...)
		require.Error(t, err, "%v", args)
	}
}
