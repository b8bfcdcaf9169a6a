package load

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// Per-interval latency buckets are log-linear with 8 sub-buckets per power
// of two (bucket width at most 12.5% of its value, so a quantile read at the
// bucket's middle is within about 6%), from 0 up to 2^40 ns (18 minutes);
// longer values fall into the last bucket. HDR histograms per interval would
// cost tens of KiB each inside the measured process; these cost 1.25 KiB.
const (
	ivSubBits = 3
	ivSub     = 1 << ivSubBits
	ivMaxExp  = 40
	ivBuckets = (ivMaxExp-ivSubBits)*ivSub + ivSub // index of 2^40-1, plus one
)

// ivBucket returns the bucket index of a non-negative value in nanoseconds.
func ivBucket(v int64) int {
	if v < 2*ivSub {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v))
	if e > ivMaxExp {
		return ivBuckets - 1
	}
	shift := e - ivSubBits - 1
	return (shift+1)*ivSub + int(v>>shift) - ivSub
}

// ivValue returns the middle of bucket i in nanoseconds.
func ivValue(i int) int64 {
	if i < 2*ivSub {
		return int64(i)
	}
	shift := i/ivSub - 1
	lo := int64(i%ivSub+ivSub) << shift
	return lo + int64(1)<<shift/2
}

// ivSlot is one interval's counters, updated with atomics by every recorder.
type ivSlot struct {
	sent, done atomic.Uint32
	lat        [ivBuckets]atomic.Uint32 // latency of messages completed in the interval
}

// ivChunkLen is how many slots are allocated at a time.
const ivChunkLen = 32

type ivChunk [ivChunkLen]ivSlot

// maxIntervals caps the intervals kept; later times fold into the last one.
const maxIntervals = 36_000

// intervals is a run's time series, shared by its recorders: chunks are
// allocated up front for the planned length and lazily (once per
// ivChunkLen intervals, never per message) past it.
type intervals struct {
	width  int64 // nanoseconds
	chunks [(maxIntervals + ivChunkLen - 1) / ivChunkLen]atomic.Pointer[ivChunk]
	hi     atomic.Int64 // highest slot index touched
}

func newIntervals(width int64, planned int64) *intervals {
	iv := &intervals{width: width}
	n := min(planned/width+1, maxIntervals)
	for c := int64(0); c*ivChunkLen < n; c++ {
		iv.chunks[c].Store(new(ivChunk))
	}
	return iv
}

// slot returns the slot of time t (nanoseconds since the start).
func (iv *intervals) slot(t int64) *ivSlot {
	i := min(max(t/iv.width, 0), maxIntervals-1)
	if i > iv.hi.Load() {
		for {
			h := iv.hi.Load()
			if i <= h || iv.hi.CompareAndSwap(h, i) {
				break
			}
		}
	}
	ch := &iv.chunks[i/ivChunkLen]
	c := ch.Load()
	if c == nil {
		ch.CompareAndSwap(nil, new(ivChunk))
		c = ch.Load()
	}
	return &c[i%ivChunkLen]
}

// sent counts a message sent at t.
func (iv *intervals) sent(t int64) { iv.slot(t).sent.Add(1) }

// done counts a message completed at t with latency lat.
func (iv *intervals) done(t, lat int64) {
	s := iv.slot(t)
	s.done.Add(1)
	s.lat[ivBucket(lat)].Add(1)
}

// quantile returns the q-quantile (0..1) of slot s's latencies, 0 when empty.
func (s *ivSlot) quantile(q float64) int64 {
	n := int64(s.done.Load())
	if n == 0 {
		return 0
	}
	rank := max(int64(math.Ceil(q*float64(n))), 1) // nearest-rank definition
	var seen int64
	for i := range s.lat {
		seen += int64(s.lat[i].Load())
		if seen >= rank {
			return ivValue(i)
		}
	}
	return ivValue(ivBuckets - 1)
}
