package profiler

import (
	"math"
	"slices"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/montanaflynn/stats"
)

// Summary describes the heap over a profiling session.
//
// Baseline is the sample taken at Start; Peak, Min, mean and variance cover every
// sample taken (exact, running); the percentiles cover the retained series (exact until
// MaxSamples, then over the downsampled series). Variance is the population variance.
// A JSON name that also names a memprism report metric (package metric) means the
// same thing in both; figures the report defines otherwise are named differently
// here (last_heap_bytes, heap_change_bytes, sampled_peak_rss_bytes).
//
// The peak is sampled: a spike is seen when a sample lands while it is held, so
// the peak is a lower bound that catches every spike held longer than
// MaxSampleGap (the longest time between two samples; about Options.Interval
// on an idle machine, more under load). Shorter spikes may be missed.
type Summary struct {
	Samples         int           `json:"samples"`          // samples taken
	RetainedSamples int           `json:"retained_samples"` // samples in Samples()
	Duration        time.Duration `json:"duration_ns"`

	BaselineHeapBytes uint64  `json:"baseline_heap_bytes"`
	LastHeapBytes     uint64  `json:"last_heap_bytes"` // heap in use at the last sample (no GC first)
	PeakHeapBytes     uint64  `json:"peak_heap_bytes"` // the maximum
	MinHeapBytes      uint64  `json:"min_heap_bytes"`
	MeanHeapBytes     float64 `json:"mean_heap_bytes"`
	HeapVariance      float64 `json:"heap_variance"` // population variance, bytes^2
	HeapStddevBytes   float64 `json:"heap_stddev_bytes"`
	HeapP50Bytes      float64 `json:"heap_p50_bytes"`
	HeapP95Bytes      float64 `json:"heap_p95_bytes"`
	HeapP99Bytes      float64 `json:"heap_p99_bytes"`
	// HeapChangeBytes is the last minus the baseline heap in use (garbage
	// included: not the report's growth_bytes, which compares live heaps);
	// HeapChangeRateBytesPerSec divides it by Duration.
	HeapChangeBytes           int64   `json:"heap_change_bytes"`
	HeapChangeRateBytesPerSec float64 `json:"heap_change_rate_bytes_per_sec"`
	// MaxSampleGap is the longest time between two consecutive samples: a
	// heap spike held longer is always seen by the peak.
	MaxSampleGap time.Duration `json:"max_sample_gap_ns"`

	PeakLiveHeapBytes uint64  `json:"peak_live_heap_bytes"`
	MeanLiveHeapBytes float64 `json:"mean_live_heap_bytes"`
	MeanHeapGoalBytes float64 `json:"mean_heap_goal_bytes"`
	// HeapGoalFloorFraction is the fraction of samples whose heap goal sat at
	// or below the runtime's minimum, 4 MiB x GOGC/100 (Sample.HeapGoalAtFloor):
	// near 1, the heap's size and the GC's pace were the runtime's floor, not
	// the code's live heap (see metric.FloorBound).
	HeapGoalFloorFraction float64 `json:"heap_goal_floor_fraction"`
	BaselineRSSBytes      uint64  `json:"baseline_rss_bytes"` // at the baseline sample
	// SampledPeakRSSBytes is the highest sampled RSS (RSS is re-read at most every
	// 10 ms), with its file-backed and anonymous parts; the kernel's exact peak is
	// VmHWM in /proc/self/status (PeakRSS).
	SampledPeakRSSBytes     uint64 `json:"sampled_peak_rss_bytes"`
	SampledPeakRSSFileBytes uint64 `json:"sampled_peak_rss_file_bytes"`
	SampledPeakRSSAnonBytes uint64 `json:"sampled_peak_rss_anon_bytes"`
	PeakGoroutines          uint64 `json:"peak_goroutines"`
	GoroutineGrowth         int64  `json:"goroutine_growth"`
	// GCCycles counts the cycles the runtime started on its own since Start
	// (/gc/cycles/automatic:gc-cycles); ForcedGCCycles those forced by runtime.GC
	// (/gc/cycles/forced:gc-cycles), the sampler's among them; ProbeGCCycles those
	// the sampler forced (Options.GCQuiet).
	GCCycles             uint64  `json:"gc_cycles"`
	ForcedGCCycles       uint64  `json:"forced_gc_cycles"`
	ProbeGCCycles        uint64  `json:"probe_gc_cycles"`
	GCPauseTotalSeconds  float64 `json:"gc_pause_total_seconds"` // since Start, estimated
	TotalAllocBytes      uint64  `json:"total_alloc_bytes"`      // since Start
	TotalAllocObjects    uint64  `json:"total_allocs"`           // since Start, tiny included
	AllocRateBytesPerSec float64 `json:"alloc_rate_bytes_per_sec"`
}

// Summary summarizes the samples taken so far (zero before Start).
func (p *Profiler) Summary() Summary {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.summaryLocked()
}

func (p *Profiler) summaryLocked() Summary {
	if p.n == 0 {
		return Summary{}
	}
	f, l, r := p.first, p.last, &p.run
	s := Summary{
		Samples:                 p.n,
		RetainedSamples:         len(p.samples.buf),
		Duration:                l.Elapsed - f.Elapsed,
		BaselineHeapBytes:       f.HeapBytes,
		LastHeapBytes:           l.HeapBytes,
		PeakHeapBytes:           r.maxHeap,
		MinHeapBytes:            r.minHeap,
		MeanHeapBytes:           r.mean,
		HeapVariance:            r.variance(),
		HeapChangeBytes:         int64(l.HeapBytes) - int64(f.HeapBytes),
		MaxSampleGap:            r.maxGap,
		PeakLiveHeapBytes:       r.maxLive,
		MeanLiveHeapBytes:       r.sumLive / r.n,
		MeanHeapGoalBytes:       r.sumGoal / r.n,
		HeapGoalFloorFraction:   r.atFloor / r.n,
		BaselineRSSBytes:        f.RSSBytes,
		SampledPeakRSSBytes:     r.maxRSS,
		SampledPeakRSSFileBytes: r.maxRSSFile,
		SampledPeakRSSAnonBytes: r.maxRSS - min(r.maxRSSFile, r.maxRSS),
		PeakGoroutines:          r.maxGor,
		GoroutineGrowth:         int64(l.Goroutines) - int64(f.Goroutines),
		GCCycles:                (l.GCCycles - l.ForcedGCCycles) - (f.GCCycles - f.ForcedGCCycles),
		ForcedGCCycles:          l.ForcedGCCycles - f.ForcedGCCycles,
		ProbeGCCycles:           p.forcedGCs.Load(),
		GCPauseTotalSeconds:     l.GCPauseTotal - f.GCPauseTotal,
		TotalAllocBytes:         l.TotalAllocBytes - f.TotalAllocBytes,
		TotalAllocObjects:       l.TotalAllocObjects - f.TotalAllocObjects,
	}
	s.HeapStddevBytes = math.Sqrt(s.HeapVariance)
	heap := make([]float64, len(p.samples.buf))
	for i, x := range p.samples.buf {
		heap[i] = float64(x.HeapBytes)
	}
	slices.Sort(heap) // stats.Percentile sorts a copy per call: presorted, each is linear
	s.HeapP50Bytes = percentile(heap, 50)
	s.HeapP95Bytes = percentile(heap, 95)
	s.HeapP99Bytes = percentile(heap, 99)
	if sec := s.Duration.Seconds(); sec > 0 {
		s.HeapChangeRateBytesPerSec = float64(s.HeapChangeBytes) / sec
		s.AllocRateBytesPerSec = float64(s.TotalAllocBytes) / sec
	}
	return s
}

func percentile(x []float64, pct float64) float64 {
	v, err := stats.Percentile(x, pct)
	if err != nil {
		return 0
	}
	return v
}

// Metrics returns the summary's figures that have a memprism report metric
// of the same meaning (package metric), under its name: peak_heap_bytes,
// gc_cycles, ... The report's growth, final heap and peak RSS are measured
// differently (after a forced GC, from VmHWM) and are not among them.
func (s Summary) Metrics() map[string]float64 {
	return map[string]float64{
		metric.PeakHeapBytes:         float64(s.PeakHeapBytes),
		metric.BaselineHeapBytes:     float64(s.BaselineHeapBytes),
		metric.MeanHeapBytes:         s.MeanHeapBytes,
		metric.HeapVariance:          s.HeapVariance,
		metric.HeapStddevBytes:       s.HeapStddevBytes,
		metric.BaselineRSSBytes:      float64(s.BaselineRSSBytes),
		metric.PeakRSSAnonBytes:      float64(s.SampledPeakRSSAnonBytes),
		metric.PeakRSSFileBytes:      float64(s.SampledPeakRSSFileBytes),
		metric.TotalAllocBytes:       float64(s.TotalAllocBytes),
		metric.TotalAllocs:           float64(s.TotalAllocObjects),
		metric.GCCycles:              float64(s.GCCycles),
		metric.ForcedGCCycles:        float64(s.ForcedGCCycles),
		metric.GCPauseTotalSeconds:   s.GCPauseTotalSeconds,
		metric.HeapGoalFloorFraction: s.HeapGoalFloorFraction,
		metric.PeakGoroutines:        float64(s.PeakGoroutines),
		metric.DurationSeconds:       s.Duration.Seconds(),
	}
}
