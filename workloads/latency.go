package workloads

import (
	"context"
	"runtime"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histogram range and precision: two significant digits (1%) from
// 100ns up, and a message taking more than ten minutes is recorded as ten
// minutes. The histogram lives inside the measured process, so it is kept
// small (tens of KiB; three digits from 1ns cost 1.3 MiB per histogram, which
// dwarfed small workloads' own heap).
const (
	latencyMinNs = 100
	latencyMaxNs = int64(10 * time.Minute)
	latencySig   = 2
)

// latencyRecorder is an HDR histogram of nanosecond latencies; it is not
// safe for concurrent use: give each goroutine its own and merge them.
type latencyRecorder struct {
	h *hdrhistogram.Histogram
}

func newLatencyRecorder() *latencyRecorder {
	return &latencyRecorder{h: hdrhistogram.New(latencyMinNs, latencyMaxNs, latencySig)}
}

// record adds one latency, clamped into the histogram's range.
func (l *latencyRecorder) record(d time.Duration) {
	v := min(max(int64(d), latencyMinNs), latencyMaxNs)
	_ = l.h.RecordValue(v) // in range by construction
}

// merge adds every value of o.
func (l *latencyRecorder) merge(o *latencyRecorder) {
	l.h.Merge(o.h)
}

// summary returns the count and P50/P95/P99/Max.
func (l *latencyRecorder) summary() LatencySummary {
	return LatencySummary{
		Count: l.h.TotalCount(),
		P50:   time.Duration(l.h.ValueAtQuantile(50)),
		P95:   time.Duration(l.h.ValueAtQuantile(95)),
		P99:   time.Duration(l.h.ValueAtQuantile(99)),
		Max:   time.Duration(l.h.Max()),
	}
}

// lockedRecorder is a latencyRecorder behind a mutex, for goroutine-per-
// message code where per-goroutine histograms would cost more than the lock.
type lockedRecorder struct {
	mu sync.Mutex
	r  *latencyRecorder
}

func (l *lockedRecorder) record(d time.Duration) {
	l.mu.Lock()
	l.r.record(d)
	l.mu.Unlock()
}

// holdUntilDone keeps v reachable until ctx ends: memory a workload leaks on
// purpose stays live after Run returns (so the final heap shows it) yet is
// released when the caller cancels, which keeps goleak-checked tests clean.
func holdUntilDone(ctx context.Context, v any) {
	go func() {
		<-ctx.Done()
		runtime.KeepAlive(v)
	}()
}

// fnvOffset is FNV-1a's 64-bit offset basis.
const fnvOffset = 14695981039346656037

// fnv1a folds b into the 64-bit FNV-1a hash h: the per-message CPU work the
// workloads do to really read their payloads (hash/fnv's interface would
// allocate on these per-message paths).
func fnv1a(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
