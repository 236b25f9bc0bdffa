package main

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMetricValueReadsUnlabelledSample(t *testing.T) {
	text := []byte(`# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
go_goroutines_extra 7
go_gc_duration_seconds{quantile="0.5"} 1e-05
go_gc_duration_seconds_count 12
go_memstats_heap_inuse_bytes 1.2345e+07
bad_value abc
`)
	tests := []struct {
		name   string
		metric string
		want   float64
		ok     bool
	}{
		{"gauge", "go_goroutines", 42, true},
		{"counter of a summary", "go_gc_duration_seconds_count", 12, true},
		{"exponent", "go_memstats_heap_inuse_bytes", 12345000, true},
		{"prefix of another name is not a match", "go_gc_duration", 0, false},
		{"missing", "portico_connections", 0, false},
		{"unparsable", "bad_value", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := metricValue(text, tt.metric)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestVmRSSReadsKilobytes(t *testing.T) {
	tests := []struct {
		name   string
		status string
		want   int64
		ok     bool
	}{
		{"present", "Name:\tportico\nVmPeak:\t  9000 kB\nVmRSS:\t    1024 kB\nThreads:\t5\n", 1 << 20, true},
		{"absent", "Name:\tportico\n", 0, false},
		{"wrong unit", "VmRSS:\t1024 MB\n", 0, false},
		{"negative", "VmRSS:\t-1 kB\n", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := vmRSS([]byte(tt.status))
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCPUTimeAddsUserAndSystemTicks(t *testing.T) {
	tests := []struct {
		name string
		stat string
		want time.Duration
		ok   bool
	}{
		{"plain", "123 (portico) S 1 123 123 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 9 0", 2 * time.Second, true},
		{"name with spaces and parens", "7 (a) b) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0", 70 * time.Millisecond, true},
		{"truncated", "7 (x) R 1 2", 0, false},
		{"no name", "7 x R", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cpuTime([]byte(tt.stat))
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestReadRSSAndCPUOfThisProcess(t *testing.T) {
	rss, err := readRSS(os.Getpid())
	require.NoError(t, err)
	require.Positive(t, rss)
	_, err = readCPU(os.Getpid())
	require.NoError(t, err)
}
