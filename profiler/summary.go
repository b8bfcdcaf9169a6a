package profiler

import (
	"math"
	"slices"
	"time"

	"github.com/montanaflynn/stats"
)

// Summary describes the heap over a profiling session.
//
// Baseline is the sample taken at Start; Peak, Min, mean and variance cover every
// sample taken (exact, running); the percentiles cover the retained series (exact until
// MaxSamples, then over the downsampled series). Variance is the population variance.
type Summary struct {
	Samples         int           `json:"samples"`          // samples taken
	RetainedSamples int           `json:"retained_samples"` // samples in Samples()
	Duration        time.Duration `json:"duration_ns"`

	BaselineHeapBytes uint64  `json:"baseline_heap_bytes"`
	FinalHeapBytes    uint64  `json:"final_heap_bytes"` // last sample (not after a forced GC)
	PeakHeapBytes     uint64  `json:"peak_heap_bytes"`  // the maximum
	MinHeapBytes      uint64  `json:"min_heap_bytes"`
	MeanHeapBytes     float64 `json:"mean_heap_bytes"`
	HeapVariance      float64 `json:"heap_variance"` // population variance, bytes^2
	HeapStddevBytes   float64 `json:"heap_stddev_bytes"`
	HeapP50Bytes      float64 `json:"heap_p50_bytes"`
	HeapP95Bytes      float64 `json:"heap_p95_bytes"`
	HeapP99Bytes      float64 `json:"heap_p99_bytes"`
	// GrowthBytes is final minus baseline heap; GrowthRateBytesPerSec divides it by Duration.
	GrowthBytes           int64   `json:"growth_bytes"`
	GrowthRateBytesPerSec float64 `json:"growth_rate_bytes_per_sec"`

	PeakLiveHeapBytes    uint64  `json:"peak_live_heap_bytes"`
	MeanLiveHeapBytes    float64 `json:"mean_live_heap_bytes"`
	MeanHeapGoalBytes    float64 `json:"mean_heap_goal_bytes"`
	BaselineRSSBytes     uint64  `json:"baseline_rss_bytes"`
	PeakRSSBytes         uint64  `json:"peak_rss_bytes"`
	PeakGoroutines       uint64  `json:"peak_goroutines"`
	GoroutineGrowth      int64   `json:"goroutine_growth"`
	GCCycles             uint64  `json:"gc_cycles"`                  // since Start
	ForcedGCCycles       uint64  `json:"forced_gc_cycles,omitempty"` // of those, forced by the sampler (Options.GCQuiet)
	GCPauseTotalSeconds  float64 `json:"gc_pause_total_seconds"`     // since Start, estimated
	TotalAllocBytes      uint64  `json:"total_alloc_bytes"`          // since Start
	TotalAllocObjects    uint64  `json:"total_allocs"`               // since Start, tiny included
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
		Samples:             p.n,
		RetainedSamples:     len(p.samples.buf),
		Duration:            l.Elapsed - f.Elapsed,
		BaselineHeapBytes:   f.HeapBytes,
		FinalHeapBytes:      l.HeapBytes,
		PeakHeapBytes:       r.maxHeap,
		MinHeapBytes:        r.minHeap,
		MeanHeapBytes:       r.mean,
		HeapVariance:        r.variance(),
		GrowthBytes:         int64(l.HeapBytes) - int64(f.HeapBytes),
		PeakLiveHeapBytes:   r.maxLive,
		MeanLiveHeapBytes:   r.sumLive / r.n,
		MeanHeapGoalBytes:   r.sumGoal / r.n,
		BaselineRSSBytes:    f.RSSBytes,
		PeakRSSBytes:        r.maxRSS,
		PeakGoroutines:      r.maxGor,
		GoroutineGrowth:     int64(l.Goroutines) - int64(f.Goroutines),
		GCCycles:            l.GCCycles - f.GCCycles,
		ForcedGCCycles:      p.forcedGCs.Load(),
		GCPauseTotalSeconds: l.GCPauseTotal - f.GCPauseTotal,
		TotalAllocBytes:     l.TotalAllocBytes - f.TotalAllocBytes,
		TotalAllocObjects:   l.TotalAllocObjects - f.TotalAllocObjects,
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
		s.GrowthRateBytesPerSec = float64(s.GrowthBytes) / sec
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

// Metrics returns the summary under the run metric names of the memprism report
// (peak_heap_bytes, growth_bytes, gc_cycles, ...).
func (s Summary) Metrics() map[string]float64 {
	return map[string]float64{
		"peak_rss_bytes":            float64(s.PeakRSSBytes),
		"peak_heap_bytes":           float64(s.PeakHeapBytes),
		"baseline_heap_bytes":       float64(s.BaselineHeapBytes),
		"mean_heap_bytes":           s.MeanHeapBytes,
		"heap_variance":             s.HeapVariance,
		"heap_stddev_bytes":         s.HeapStddevBytes,
		"growth_bytes":              float64(s.GrowthBytes),
		"growth_rate_bytes_per_sec": s.GrowthRateBytesPerSec,
		"total_alloc_bytes":         float64(s.TotalAllocBytes),
		"total_allocs":              float64(s.TotalAllocObjects),
		"gc_cycles":                 float64(s.GCCycles),
		"gc_pause_total_seconds":    s.GCPauseTotalSeconds,
		"peak_goroutines":           float64(s.PeakGoroutines),
		"duration_seconds":          s.Duration.Seconds(),
	}
}
