package results

// MetricInfo describes one metric of the catalogue: its JSON name, unit,
// benchmark-format unit and which direction is an improvement.
type MetricInfo struct {
	// Name is the metric as spelled in report.json and in scenario targets.
	Name string
	// Unit is the metric's base unit: "B", "sec", "B/s", "ops/s", "B^2" or "" for a count.
	Unit string
	// BenchUnit is the hyphenated unit used in bench.txt (benchfmt); empty
	// when the metric is not written as a value (ops is the iteration count).
	BenchUnit string
	// LowerIsBetter is true when a smaller value is an improvement.
	LowerIsBetter bool
	// HigherIsBetter is true when a larger value is an improvement; both
	// flags are false for metrics that are neither (the op count).
	HigherIsBetter bool
	// Doc says in one line what the metric measures.
	Doc string
}

// Metric names of the catalogue, as they appear in report.json.
const (
	PeakRSSBytes          = "peak_rss_bytes"
	PeakHeapBytes         = "peak_heap_bytes"
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
	GCPauseTotalSeconds   = "gc_pause_total_seconds"
	PeakGoroutines        = "peak_goroutines"
	Ops                   = "ops"
	DurationSeconds       = "duration_seconds"
	OpsPerSec             = "ops_per_sec"
	LatencyP50Seconds     = "latency_p50_seconds"
	LatencyP95Seconds     = "latency_p95_seconds"
	LatencyP99Seconds     = "latency_p99_seconds"
)

// Metrics is the metric catalogue of DESIGN.md, in the order reports list them.
var Metrics = []MetricInfo{
	{PeakRSSBytes, "B", "peak-RSS-B", true, false, "peak resident set size of the run's process (its VmHWM)"},
	{PeakHeapBytes, "B", "peak-heap-B", true, false, "highest sampled heap in use (runtime/metrics)"},
	{BaselineHeapBytes, "B", "baseline-heap-B", true, false, "heap in use before the workload started"},
	{FinalHeapBytes, "B", "final-heap-B", true, false, "live heap after a forced GC at the end of the run"},
	{MeanHeapBytes, "B", "mean-heap-B", true, false, "mean of the sampled heap in use"},
	{HeapVariance, "B^2", "heap-variance", true, false, "population variance of the sampled heap in use"},
	{HeapStddevBytes, "B", "heap-stddev-B", true, false, "standard deviation of the sampled heap in use"},
	{GrowthBytes, "B", "growth-B", true, false, "live heap after the final forced GC minus the baseline heap"},
	{GrowthRateBytesPerSec, "B/s", "growth-B/s", true, false, "heap growth divided by the run's duration"},
	{TotalAllocBytes, "B", "total-alloc-B", true, false, "bytes allocated during the run"},
	{TotalAllocs, "", "total-allocs", true, false, "heap objects allocated during the run"},
	{BytesPerOp, "B", "B/op", true, false, "bytes allocated per op (trade message)"},
	{AllocsPerOp, "", "allocs/op", true, false, "heap objects allocated per op"},
	{GCCycles, "", "gc-cycles", true, false, "completed GC cycles during the run"},
	{GCPauseTotalSeconds, "sec", "gc-pause-sec", true, false, "total stop-the-world GC pause time"},
	{PeakGoroutines, "", "peak-goroutines", true, false, "highest sampled goroutine count"},
	{Ops, "", "", false, false, "ops (trade messages) processed; the iteration count in bench.txt"},
	{DurationSeconds, "sec", "run-sec", true, false, "wall-clock duration of the workload"},
	{OpsPerSec, "ops/s", "ops/s", false, true, "throughput: ops divided by duration"},
	{LatencyP50Seconds, "sec", "p50-latency-sec", true, false, "median per-message latency (message workloads)"},
	{LatencyP95Seconds, "sec", "p95-latency-sec", true, false, "95th percentile per-message latency (message workloads)"},
	{LatencyP99Seconds, "sec", "p99-latency-sec", true, false, "99th percentile per-message latency (message workloads)"},
}

// Metric returns the catalogue entry of the named metric.
func Metric(name string) (MetricInfo, bool) {
	if i := metricIndex(name); i < len(Metrics) {
		return Metrics[i], true
	}
	return MetricInfo{}, false
}

// metricIndex is the position of name in Metrics, or len(Metrics) for
// unknown names, so sorting by it lists known metrics first in catalogue order.
func metricIndex(name string) int {
	for i, m := range Metrics {
		if m.Name == name {
			return i
		}
	}
	return len(Metrics)
}
