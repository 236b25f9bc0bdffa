package main

import (
	"math/bits"
	"time"
)

// subBuckets is the number of buckets per power of two: values are kept to within 1/64 (1.6 %).
const subBuckets = 64

// histogram counts durations in log-linear buckets, so that histograms from several load clients
// merge exactly. The zero value is empty and ready to use. Not safe for concurrent use.
type histogram struct {
	Counts map[int]uint64 `json:"counts"`
	N      uint64         `json:"n"`
}

// bucketOf returns the bucket of v nanoseconds.
func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - 7 // keep 7 significant bits: 64..127
	return (shift+1)*subBuckets + int(v>>shift) - subBuckets
}

// bucketValue returns the smallest value in bucket b.
func bucketValue(b int) uint64 {
	if b < subBuckets {
		return uint64(b)
	}
	shift := b/subBuckets - 1
	return uint64(b%subBuckets+subBuckets) << shift
}

// record adds one duration.
func (h *histogram) record(d time.Duration) {
	if h.Counts == nil {
		h.Counts = make(map[int]uint64)
	}
	if d < 0 {
		d = 0
	}
	h.Counts[bucketOf(uint64(d))]++
	h.N++
}

// merge adds o's counts to h.
func (h *histogram) merge(o histogram) {
	for b, c := range o.Counts {
		if h.Counts == nil {
			h.Counts = make(map[int]uint64)
		}
		h.Counts[b] += c
		h.N += c
	}
}

// quantile returns the value at quantile q in [0, 1]; zero when empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.N == 0 {
		return 0
	}
	rank := uint64(q*float64(h.N-1)) + 1
	maxB := 0
	for b := range h.Counts {
		maxB = max(maxB, b)
	}
	var seen uint64
	for b := 0; b <= maxB; b++ {
		seen += h.Counts[b]
		if seen >= rank {
			return time.Duration(bucketValue(b))
		}
	}
	return time.Duration(bucketValue(maxB))
}
