package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBucketValueIsWithinOneSixtyFourthOfTheValue(t *testing.T) {
	for _, v := range []uint64{0, 1, 63, 64, 65, 127, 128, 129, 1000, 123456, 1 << 30, 1<<40 + 12345} {
		got := bucketValue(bucketOf(v))
		require.LessOrEqual(t, got, v, "v=%d", v)
		require.GreaterOrEqual(t, float64(got), float64(v)*(1-1.0/subBuckets), "v=%d", v)
	}
}

func TestBucketsAreOrdered(t *testing.T) {
	prev := -1
	for v := uint64(0); v < 1<<20; v += 7 {
		b := bucketOf(v)
		require.GreaterOrEqual(t, b, prev)
		prev = b
	}
}

func TestQuantiles(t *testing.T) {
	var h histogram
	require.Zero(t, h.quantile(0.5))
	for i := 1; i <= 100; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{
		{0, time.Microsecond},
		{0.5, 50 * time.Microsecond},
		{0.99, 99 * time.Microsecond},
		{1, 100 * time.Microsecond},
	}
	for _, tt := range tests {
		got := h.quantile(tt.q)
		require.InEpsilon(t, float64(tt.want), float64(got), 1.0/subBuckets, "q=%v", tt.q)
	}
}

func TestMergeAddsCounts(t *testing.T) {
	var a, b histogram
	a.record(time.Millisecond)
	b.record(time.Millisecond)
	b.record(time.Second)
	a.merge(b)
	require.Equal(t, uint64(3), a.N)
	require.InEpsilon(t, float64(time.Second), float64(a.quantile(1)), 1.0/subBuckets)
	require.InEpsilon(t, float64(time.Millisecond), float64(a.quantile(0.5)), 1.0/subBuckets)
}
