package profiler

import (
	"math"
	"runtime/metrics"
	"time"

	"github.com/memprism/memprism/metric"
)

// Sample is one reading of the Go runtime's memory metrics and the process's memory.
type Sample struct {
	// UnixNano is the wall-clock time of the reading (see Time). Sample holds no
	// pointers, so the retained series costs the garbage collector nothing to scan.
	UnixNano int64 `json:"unix_nano"`
	// Elapsed is the time since the profiler started (monotonic clock).
	Elapsed time.Duration `json:"elapsed_ns"`
	// HeapBytes is the memory occupied by heap objects, live or not yet swept
	// (/memory/classes/heap/objects:bytes, MemStats.HeapAlloc).
	HeapBytes uint64 `json:"heap_bytes"`
	// LiveHeapBytes is the heap marked live by the last completed GC (/gc/heap/live:bytes);
	// it changes only when a GC cycle ends.
	LiveHeapBytes uint64 `json:"live_heap_bytes"`
	// HeapGoalBytes is the heap size at which the next GC cycle should finish (/gc/heap/goal:bytes).
	HeapGoalBytes uint64 `json:"heap_goal_bytes"`
	// HeapGoalAtFloor is true when HeapGoalBytes was at or below the runtime's
	// minimum heap goal, 4 MiB x GOGC/100 (/gc/gogc:percent): the floor (or a
	// memory limit), not the live heap, set the goal. False with GOGC off.
	HeapGoalAtFloor bool `json:"heap_goal_at_floor,omitempty"`
	// HeapObjects is the number of heap objects, live or unswept (/gc/heap/objects:objects).
	HeapObjects uint64 `json:"heap_objects"`
	// TotalAllocBytes is the cumulative bytes allocated on the heap (/gc/heap/allocs:bytes).
	TotalAllocBytes uint64 `json:"total_alloc_bytes"`
	// TotalAllocObjects is the cumulative heap allocations including tiny ones
	// (/gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects, MemStats.Mallocs).
	TotalAllocObjects uint64 `json:"total_alloc_objects"`
	// GCCycles is the number of GC cycles completed since the process started
	// (/gc/cycles/total:gc-cycles), a cumulative counter.
	GCCycles uint64 `json:"gc_cycles_total"`
	// ForcedGCCycles is how many of those were forced by runtime.GC or
	// debug.FreeOSMemory (/gc/cycles/forced:gc-cycles), a cumulative counter.
	ForcedGCCycles uint64 `json:"forced_gc_cycles_total"`
	// GCPauseTotal is the cumulative stop-the-world GC pause time in seconds, estimated
	// from the /sched/pauses/total/gc:seconds histogram (bucket midpoints).
	GCPauseTotal float64 `json:"gc_pause_total_seconds"`
	// Goroutines is the number of live goroutines (/sched/goroutines:goroutines).
	Goroutines uint64 `json:"goroutines"`
	// RSSBytes is the process's resident set size (/proc/self/statm).
	RSSBytes uint64 `json:"rss_bytes"`
	// RSSFileBytes is the file-backed part of RSSBytes: the binary's and
	// mapped files' pages (statm's shared: RssFile + RssShmem); RSSBytes minus
	// it is the anonymous part (heap, stacks). 0 where unknown.
	RSSFileBytes uint64 `json:"rss_file_bytes"`
	// VMSBytes is the process's virtual memory size.
	VMSBytes uint64 `json:"vms_bytes"`
}

// Time returns the wall-clock time of the reading, in UTC.
func (s Sample) Time() time.Time { return time.Unix(0, s.UnixNano).UTC() }

// Indices into reader.ms; the order of metricNames.
const (
	mHeapObjectsBytes = iota
	mLive
	mGoal
	mHeapObjects
	mAllocBytes
	mAllocObjects
	mTinyAllocs
	mCycles
	mForced
	mGoroutines
	mPauses // read only after a GC cycle
	mGOGC   // read only when the heap goal changed
	mCount
)

var metricNames = [mCount]string{
	mHeapObjectsBytes: "/memory/classes/heap/objects:bytes",
	mLive:             "/gc/heap/live:bytes",
	mGoal:             "/gc/heap/goal:bytes",
	mHeapObjects:      "/gc/heap/objects:objects",
	mAllocBytes:       "/gc/heap/allocs:bytes",
	mAllocObjects:     "/gc/heap/allocs:objects",
	mTinyAllocs:       "/gc/heap/tiny/allocs:objects",
	mCycles:           "/gc/cycles/total:gc-cycles",
	mForced:           "/gc/cycles/forced:gc-cycles",
	mGoroutines:       "/sched/goroutines:goroutines",
	mPauses:           "/sched/pauses/total/gc:seconds",
	mGOGC:             "/gc/gogc:percent",
}

// reader reads a Sample with a preallocated metrics slice: after the first read it
// does not allocate. It is not safe for concurrent use.
type reader struct {
	ms         []metrics.Sample // scalar metrics, read every time
	pauses     []metrics.Sample // the GC pause histogram, read only after a GC
	gogcMetric []metrics.Sample // GOGC, read only when the heap goal changed
	rss        rssSource
	rssEvery   time.Duration // RSS is re-read at most this often (it costs a syscall)
	rssAt      time.Time
	rssVal     [3]uint64
	rssErr     error // first RSS error, kept so it is reported once
	lastCycles uint64
	pauseTotal float64
	read1      bool
	// floorGoal is the runtime's minimum heap goal at the GOGC in force when
	// the heap goal was last seen to change (lastGoal): debug.SetGCPercent
	// recomputes the goal, so GOGC is re-read when the goal moves, not every
	// sample (a goal a memory limit holds still may keep a stale GOGC until
	// the next GC). 0 with GOGC off or 0.
	floorGoal, lastGoal uint64
}

func newReader(rss rssSource) *reader {
	r := &reader{ms: make([]metrics.Sample, mPauses), rss: rss, rssEvery: rssEvery,
		pauses:     []metrics.Sample{{Name: metricNames[mPauses]}},
		gogcMetric: []metrics.Sample{{Name: metricNames[mGOGC]}}}
	for i := range r.ms {
		r.ms[i].Name = metricNames[i]
	}
	return r
}

func u64(v metrics.Value) uint64 {
	if v.Kind() == metrics.KindUint64 {
		return v.Uint64()
	}
	return 0
}

// rssEvery bounds how often the sampler reads RSS: reading /proc/self/statm costs a
// few microseconds (a syscall and procfs formatting), several times the ~1µs of the
// runtime/metrics read, so at a 1 ms interval RSS is refreshed every 10 ms.
const rssEvery = 10 * time.Millisecond

// read fills s with the current figures at time now, re-reading RSS if it is older
// than rssEvery or force is set; Time and Elapsed are left to the caller.
func (r *reader) read(s *Sample, now time.Time, force bool) {
	metrics.Read(r.ms)
	s.HeapBytes = u64(r.ms[mHeapObjectsBytes].Value)
	s.LiveHeapBytes = u64(r.ms[mLive].Value)
	s.HeapGoalBytes = u64(r.ms[mGoal].Value)
	if !r.read1 || s.HeapGoalBytes != r.lastGoal {
		metrics.Read(r.gogcMetric)
		r.floorGoal, r.lastGoal = 0, s.HeapGoalBytes
		// GOGC off reads as -1 (a uint64 holding -1's bits): no floor then.
		if gogc := int64(u64(r.gogcMetric[0].Value)); gogc > 0 {
			r.floorGoal = uint64(metric.MinimumHeapGoalBytes) * uint64(gogc) / 100
		}
	}
	s.HeapGoalAtFloor = r.floorGoal > 0 && s.HeapGoalBytes <= r.floorGoal
	s.HeapObjects = u64(r.ms[mHeapObjects].Value)
	s.TotalAllocBytes = u64(r.ms[mAllocBytes].Value)
	s.TotalAllocObjects = u64(r.ms[mAllocObjects].Value) + u64(r.ms[mTinyAllocs].Value)
	s.GCCycles = u64(r.ms[mCycles].Value)
	s.ForcedGCCycles = u64(r.ms[mForced].Value)
	s.Goroutines = u64(r.ms[mGoroutines].Value)
	// GC pauses only change when a cycle runs: sum the histogram only then.
	if !r.read1 || s.GCCycles != r.lastCycles {
		metrics.Read(r.pauses)
		r.pauseTotal = histogramSum(r.pauses[0].Value)
		r.lastCycles = s.GCCycles
		r.read1 = true
	}
	s.GCPauseTotal = r.pauseTotal
	if r.rss != nil && (force || r.rssAt.IsZero() || now.Sub(r.rssAt) >= r.rssEvery) {
		rss, vms, file, err := r.rss.read()
		if err != nil && r.rssErr == nil {
			r.rssErr = err
		}
		r.rssVal = [3]uint64{rss, vms, file}
		r.rssAt = now
	}
	s.RSSBytes, s.VMSBytes, s.RSSFileBytes = r.rssVal[0], r.rssVal[1], r.rssVal[2]
}

// histogramSum estimates the sum of the values in a runtime/metrics histogram from
// bucket midpoints (the finite edge for the open-ended buckets).
func histogramSum(v metrics.Value) float64 {
	if v.Kind() != metrics.KindFloat64Histogram {
		return 0
	}
	h := v.Float64Histogram()
	sum := 0.0
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		var mid float64
		switch {
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			continue
		case math.IsInf(lo, -1):
			mid = hi
		case math.IsInf(hi, 1):
			mid = lo
		default:
			mid = (lo + hi) / 2
		}
		sum += float64(c) * mid
	}
	return sum
}
