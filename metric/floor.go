package metric

// MinimumHeapGoalBytes is the Go runtime's minimum heap goal at GOGC=100
// (the runtime's heapMinimum, 4 MiB); it scales with GOGC/100. While the live
// heap is small, the GC lets the heap grow to this size before a cycle
// whatever the code keeps, so a figure set by the heap goal compares the
// runtime's floor, not the code.
const MinimumHeapGoalBytes = 4 << 20

// FloorDecidedFraction is the share of a variant's run, by the median of its
// runs' heap_goal_floor_fraction, from which on its FloorBound figures are
// taken to be set by the runtime's minimum heap goal rather than by its code.
const FloorDecidedFraction = 0.5

// floorBound lists the fixed metrics whose value follows the GC's heap goal:
// how far the heap grows between cycles (peak and mean heap, their spread,
// the resident pages that growth leaves) and how often a cycle runs.
var floorBound = map[string]bool{
	PeakHeapBytes: true, MeanHeapBytes: true, HeapVariance: true, HeapStddevBytes: true,
	PeakRSSBytes: true, PeakRSSAnonBytes: true, RSSGrowthBytes: true,
	GCCycles: true, GCPauseTotalSeconds: true,
}

// FloorBound reports whether a metric's value is set by the GC's heap goal,
// so that while the goal sits at the runtime's minimum (MinimumHeapGoalBytes
// x GOGC/100) the runtime decides it, not the code: peak_heap_bytes,
// mean_heap_bytes, heap_variance, heap_stddev_bytes, peak_rss_bytes,
// peak_rss_anon_bytes, rss_growth_bytes, gc_cycles, gc_pause_total_seconds
// and every snapshot's rss_bytes (the pages the heap grew into stay
// resident after the snapshot's GC). Figures measured after a GC (live
// heaps, growth_bytes, final_heap_bytes) and allocation counts
// (total_alloc_bytes, bytes_per_op, allocs_per_op) are not: the heap goal
// does not change what is live or what is allocated.
func FloorBound(name string) bool {
	if floorBound[name] {
		return true
	}
	_, field, ok := ParseSnapshotName(name)
	return ok && field == SnapRSSBytes
}
