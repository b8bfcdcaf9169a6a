package metric

// Names of the catalogue's metrics, as they appear in report.json and targets.
const (
	PeakRSSBytes          = "peak_rss_bytes"
	PeakRSSAnonBytes      = "peak_rss_anon_bytes"
	PeakRSSFileBytes      = "peak_rss_file_bytes"
	BaselineRSSBytes      = "baseline_rss_bytes"
	RSSGrowthBytes        = "rss_growth_bytes"
	PeakHeapBytes         = "peak_heap_bytes"
	SampleGapMaxSeconds   = "sample_gap_max_seconds"
	BaselineHeapBytes     = "baseline_heap_bytes"
	FinalHeapBytes        = "final_heap_bytes"
	MeanHeapBytes         = "mean_heap_bytes"
	HeapVariance          = "heap_variance"
	HeapStddevBytes       = "heap_stddev_bytes"
	GrowthBytes           = "growth_bytes"
	GrowthRateBytesPerSec = "growth_rate_bytes_per_sec"
	TotalAllocBytes       = "total_alloc_bytes"
	TotalAllocs           = "total_allocs"
	BytesPerOp            = "bytes_per_op"
	AllocsPerOp           = "allocs_per_op"
	GCCycles              = "gc_cycles"
	ForcedGCCycles        = "forced_gc_cycles"
	GCPauseTotalSeconds   = "gc_pause_total_seconds"
	HeapGoalFloorFraction = "heap_goal_floor_fraction"
	PeakGoroutines        = "peak_goroutines"
	Ops                   = "ops"
	DurationSeconds       = "duration_seconds"
	OpsPerSec             = "ops_per_sec"
	LatencyP50Seconds     = "latency_p50_seconds"
	LatencyP95Seconds     = "latency_p95_seconds"
	LatencyP99Seconds     = "latency_p99_seconds"
	LatencyP999Seconds    = "latency_p999_seconds"
	ServiceP95Seconds     = "service_p95_seconds"
	SendLagP95Seconds     = "send_lag_p95_seconds"
	OfferedRate           = "offered_rate"
	AchievedRate          = "achieved_rate"
	MessagesLate          = "messages_late"
	MessagesUnsent        = "messages_unsent"
)

// catalog is every fixed metric, in the order reports list them.
var catalog = []Info{
	{PeakRSSBytes, Bytes, "peak-RSS-B", LowerIsBetter, false, "peak RSS",
		"peak resident set size of the run's own process (VmHWM in /proc/self/status, reset just before the baseline), the worker's footprint included"},
	{PeakRSSAnonBytes, Bytes, "peak-RSS-anon-B", LowerIsBetter, false, "peak RSS anon",
		"anonymous part (heap, stacks) of the highest sampled RSS (resident minus shared in /proc/self/statm: RssAnon)"},
	{PeakRSSFileBytes, Bytes, "peak-RSS-file-B", LowerIsBetter, false, "peak RSS file",
		"file-backed part (the binary's pages) of the highest sampled RSS (shared in /proc/self/statm: RssFile + RssShmem)"},
	{BaselineRSSBytes, Bytes, "baseline-RSS-B", LowerIsBetter, false, "baseline RSS",
		"resident set size just before the workload started (the worker's own footprint)"},
	{RSSGrowthBytes, Bytes, "RSS-growth-B", LowerIsBetter, false, "RSS growth",
		"peak_rss_bytes minus baseline_rss_bytes: what the workload added to the process"},
	{PeakHeapBytes, Bytes, "peak-heap-B", LowerIsBetter, false, "peak heap",
		"highest sampled heap in use, live or not yet swept (/memory/classes/heap/objects:bytes)"},
	{SampleGapMaxSeconds, Seconds, "sample-gap-sec", LowerIsBetter, false, "max sample gap",
		"longest time between two heap samples: a spike held longer is always in peak_heap_bytes, a shorter one may be missed"},
	{BaselineHeapBytes, Bytes, "baseline-heap-B", LowerIsBetter, false, "baseline heap",
		"live heap settled by a GC just before the workload started"},
	{FinalHeapBytes, Bytes, "final-heap-B", LowerIsBetter, false, "final heap",
		"live heap after a forced GC once the workload returned (what it left behind)"},
	{MeanHeapBytes, Bytes, "mean-heap-B", LowerIsBetter, false, "mean heap",
		"mean of the sampled heap in use over the workload"},
	{HeapVariance, BytesSquared, "heap-variance", LowerIsBetter, false, "heap variance",
		"population variance of the sampled heap in use"},
	{HeapStddevBytes, Bytes, "heap-stddev-B", LowerIsBetter, false, "heap stddev",
		"population standard deviation of the sampled heap in use"},
	{GrowthBytes, Bytes, "growth-B", LowerIsBetter, false, "growth",
		"final heap minus baseline heap: live heap the workload left behind"},
	{GrowthRateBytesPerSec, BytesPerSecond, "growth-B/s", LowerIsBetter, false, "growth rate",
		"growth divided by the workload's duration"},
	{TotalAllocBytes, Bytes, "total-alloc-B", LowerIsBetter, false, "total alloc",
		"bytes allocated on the heap while the workload ran (MemStats.TotalAlloc difference)"},
	{TotalAllocs, Count, "total-allocs", LowerIsBetter, true, "total allocs",
		"heap objects allocated while the workload ran, tiny ones included (MemStats.Mallocs difference)"},
	{BytesPerOp, Bytes, "B/op", LowerIsBetter, false, "B/op",
		"bytes allocated per op (trade message)"},
	{AllocsPerOp, Count, "allocs/op", LowerIsBetter, true, "allocs/op",
		"heap objects allocated per op"},
	{GCCycles, Count, "gc-cycles", LowerIsBetter, false, "GC cycles",
		"GC cycles the runtime started on its own while the workload ran (/gc/cycles/automatic:gc-cycles); forced ones excluded"},
	{ForcedGCCycles, Count, "forced-gc-cycles", LowerIsBetter, false, "forced GC cycles",
		"GC cycles forced while the workload ran (/gc/cycles/forced:gc-cycles): by its own snapshots or runtime.GC calls; the harness forces none in measurement runs"},
	{GCPauseTotalSeconds, Seconds, "gc-pause-sec", LowerIsBetter, false, "GC pause",
		"total stop-the-world GC pause time while the workload ran (/sched/pauses/total/gc:seconds, bucket midpoints)"},
	{HeapGoalFloorFraction, Ratio, "heap-goal-floor-ratio", Neither, false, "heap goal at floor",
		"fraction of the heap samples in which the GC's heap goal (/gc/heap/goal:bytes) sat at or below the runtime's minimum, 4 MiB x GOGC/100 (/gc/gogc:percent): while it does, the runtime, not the live heap, sets the heap's size (see FloorBound)"},
	{PeakGoroutines, Count, "peak-goroutines", LowerIsBetter, false, "peak goroutines",
		"highest sampled goroutine count (/sched/goroutines:goroutines)"},
	{Ops, Count, "", Neither, true, "ops",
		"ops (trade messages) processed; the iteration count in bench.txt"},
	{DurationSeconds, Seconds, "run-sec", LowerIsBetter, false, "duration",
		"wall-clock duration of the workload"},
	{OpsPerSec, PerSecond, "ops/s", HigherIsBetter, false, "ops/s",
		"throughput: ops divided by duration"},
	{LatencyP50Seconds, Seconds, "p50-latency-sec", LowerIsBetter, false, "p50 latency",
		"median per-message latency (message workloads): from each message's intended send time for rate-driven ones (open model), else from its creation"},
	{LatencyP95Seconds, Seconds, "p95-latency-sec", LowerIsBetter, false, "p95 latency",
		"95th percentile per-message latency (message workloads): from each message's intended send time for rate-driven ones (open model), else from its creation"},
	{LatencyP99Seconds, Seconds, "p99-latency-sec", LowerIsBetter, false, "p99 latency",
		"99th percentile per-message latency (message workloads): from each message's intended send time for rate-driven ones (open model), else from its creation"},
	{LatencyP999Seconds, Seconds, "p999-latency-sec", LowerIsBetter, false, "p99.9 latency",
		"99.9th percentile per-message latency from the intended send time (rate-driven workloads, HDR histogram)"},
	{ServiceP95Seconds, Seconds, "p95-service-sec", LowerIsBetter, false, "p95 service time",
		"95th percentile service time, from the start of a message's handling to its end (rate-driven workloads)"},
	{SendLagP95Seconds, Seconds, "p95-send-lag-sec", LowerIsBetter, false, "p95 send lag",
		"95th percentile send lag: when a message was sent minus when it was due (rate-driven workloads)"},
	{OfferedRate, PerSecond, "offered-msg/s", Neither, false, "offered rate",
		"messages per second the run's schedule offered (the rate param; rate-driven workloads)"},
	{AchievedRate, PerSecond, "achieved-msg/s", HigherIsBetter, false, "achieved rate",
		"messages finished per second, from the start to the later of the send window's end and the last completion"},
	{MessagesLate, Count, "late-msgs", LowerIsBetter, false, "late messages",
		"messages sent more than one interval (100 ms) after their intended time"},
	{MessagesUnsent, Count, "unsent-msgs", LowerIsBetter, false, "unsent messages",
		"messages due within the send window but never sent: the sender was more than an interval behind when it closed"},
}

// All returns the fixed catalogue in report order (a copy).
func All() []Info { return append([]Info(nil), catalog...) }

// Lookup returns the catalogue entry of a fixed metric or of a snapshot
// metric (snapshot.<label>.<field>). A workload's own metrics are not here:
// their kind declares them.
func Lookup(name string) (Info, bool) {
	for _, m := range catalog {
		if m.Name == name {
			return m, true
		}
	}
	return SnapshotInfo(name)
}

// Index is the position of name in All, or len(All()) for other names, so
// sorting by it lists catalogue metrics first in report order.
func Index(name string) int {
	for i, m := range catalog {
		if m.Name == name {
			return i
		}
	}
	return len(catalog)
}

// Names returns the fixed catalogue's names in report order.
func Names() []string {
	out := make([]string, len(catalog))
	for i, m := range catalog {
		out[i] = m.Name
	}
	return out
}
