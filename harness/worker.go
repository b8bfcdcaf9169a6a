package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/workloads"
)

// counters are the cumulative runtime figures read right around a workload,
// so the harness's own setup and teardown stay out of the per-op figures.
type counters struct {
	allocBytes, allocs, gcCycles uint64
}

// readCounters reads exact allocation counters. It is called twice per run,
// around the workload, never in a loop: runtime.ReadMemStats stops the world,
// but it also flushes every P's cached allocation counts, which
// runtime/metrics does not (it can lag by a span per size class per P), and
// it is what `go test -benchmem` reads, so the figures agree with it.
func readCounters() counters {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return counters{allocBytes: m.TotalAlloc, allocs: m.Mallocs, gcCycles: uint64(m.NumGC)}
}

// gcProbeQuiet is how long a run may go without a GC cycle before the leak
// probe forces one.
const gcProbeQuiet = 50 * time.Millisecond

// Worker runs the job read from r in this process and writes its
// WorkerResult to the job's ResultPath. It is the body of the hidden
// worker subcommand; an error means the protocol failed, while a workload
// error is reported inside the result.
func Worker(ctx context.Context, reg *workloads.Registry, r io.Reader) error {
	if reg == nil {
		reg = workloads.Default
	}
	var job Job
	if err := json.NewDecoder(r).Decode(&job); err != nil {
		return fmt.Errorf("worker: decoding job: %w", err)
	}
	res := runJob(ctx, reg, job)
	data, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("worker: encoding result: %w", err)
	}
	tmp := job.ResultPath + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("worker: writing result: %w", err)
	}
	return os.Rename(tmp, job.ResultPath)
}

func runJob(ctx context.Context, reg *workloads.Registry, job Job) *WorkerResult {
	res := &WorkerResult{Metrics: map[string]float64{}}
	kind, ok := reg.Lookup(job.Workload)
	if !ok {
		res.Error = fmt.Sprintf("unknown workload kind %q", job.Workload)
		return res
	}
	params, err := reg.Resolve(job.Workload, job.Params)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if job.Timeout > 0 {
		// Cancel a little before the parent's kill so a cooperative workload ends on its own.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, job.Timeout*95/100)
		defer cancel()
	}

	// The rate is set for the life of the worker, not only while profiling: the
	// heap profile scales its samples by the rate in force when it is written.
	if job.ProfileRate > 0 {
		runtime.MemProfileRate = job.ProfileRate
	}
	// SettleGC: every run starts from the same settled heap, without the
	// baseline profile's own garbage.
	prof := profiler.New(profiler.Options{Interval: job.SampleInterval, SettleGC: true})
	if err := prof.Start(); err != nil {
		res.Error = fmt.Sprintf("starting profiler: %v", err)
		return res
	}
	probe := startGCProbe(gcProbeQuiet)
	before := readCounters()
	start := time.Now()
	out, runErr := kind.Run(ctx, params)
	elapsed := time.Since(start)
	after := readCounters()
	forced := probe.Stop()
	_ = prof.Stop()
	gc := prof.ForceGC()

	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		res.Error = runErr.Error()
	} else if runErr != nil {
		res.Error = "canceled: " + runErr.Error()
	}

	m := res.Metrics
	sum := prof.Summary()
	m["baseline_heap_bytes"] = float64(sum.BaselineHeapBytes)
	m["peak_heap_bytes"] = float64(sum.PeakHeapBytes)
	m["final_heap_bytes"] = float64(gc.After.LiveHeapBytes)
	m["mean_heap_bytes"] = sum.MeanHeapBytes
	m["heap_variance"] = sum.HeapVariance
	m["heap_stddev_bytes"] = sum.HeapStddevBytes
	growth := float64(gc.After.LiveHeapBytes) - float64(sum.BaselineHeapBytes)
	m["growth_bytes"] = growth
	if s := elapsed.Seconds(); s > 0 {
		m["growth_rate_bytes_per_sec"] = growth / s
		m["ops_per_sec"] = float64(out.Ops) / s
	}
	m["total_alloc_bytes"] = float64(after.allocBytes - before.allocBytes)
	allocs := after.allocs - before.allocs
	m["total_allocs"] = float64(allocs)
	if out.Ops > 0 {
		m["bytes_per_op"] = m["total_alloc_bytes"] / float64(out.Ops)
		m["allocs_per_op"] = float64(allocs) / float64(out.Ops)
	}
	// Every collection of the run, the probe's included; forced_gc_cycles says how many were the probe's.
	m["gc_cycles"] = float64(after.gcCycles - before.gcCycles)
	m["forced_gc_cycles"] = float64(forced)
	m["gc_pause_total_seconds"] = sum.GCPauseTotalSeconds
	m["peak_goroutines"] = float64(sum.PeakGoroutines)
	m["ops"] = float64(out.Ops)
	m["duration_seconds"] = elapsed.Seconds()
	if l := out.Latency; l != nil && l.Count > 0 {
		m["latency_p50_seconds"] = l.P50.Seconds()
		m["latency_p95_seconds"] = l.P95.Seconds()
		m["latency_p99_seconds"] = l.P99.Seconds()
	}

	if hwm := peakRSS(); hwm > 0 {
		m["peak_rss_bytes"] = float64(hwm)
	}
	res.Timeline = timeline(prof.Samples(), job.TimelinePoints)
	leak := prof.DetectLeaks(profiler.LeakOptions{Threshold: job.LeakThreshold})
	res.Leak = results.Leak{
		Detected: leak.Detected, Severity: leak.Severity, GrowthBytes: leak.GrowthBytes,
		SlopeBytesPerSec: leak.SlopeBytesPerSec, PValue: leak.PValue, ThresholdBytes: job.LeakThreshold,
		GoroutineGrowth: float64(leak.GoroutineGrowth), Reason: leak.Reason, Runs: 1,
		Inconclusive: leak.Inconclusive && !leak.Detected,
	}
	if leak.Detected {
		res.Leak.RunsDetected = 1
	}
	if top, err := prof.TopAllocations(job.TopN); err == nil {
		for _, s := range top {
			res.Top = append(res.Top, results.Site{
				Function: s.Function, File: s.File, Line: s.Line, AllocBytes: s.AllocBytes,
				AllocObjects: s.AllocObjects, InuseBytes: s.InuseBytes, Share: s.Share,
			})
		}
	}
	if job.ProfilePath != "" {
		if err := writeProfile(prof, job.ProfilePath); err != nil && res.Error == "" {
			res.Error = fmt.Sprintf("writing heap profile: %v", err)
		}
	}
	for _, r := range prof.Recommendations() {
		if r.Rule == profiler.RuleLeakUndecided {
			continue // the report's leak verdict already says "not judged" and why
		}
		msg := r.Message
		if r.Evidence != "" {
			msg += " Evidence: " + r.Evidence
		}
		res.Recommendations = append(res.Recommendations, msg)
	}
	return res
}

func writeProfile(p *profiler.Profiler, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.WriteHeapProfileSince(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// timeline converts the profiler's samples to the report's series, at most n points.
func timeline(samples []profiler.Sample, n int) results.Timeline {
	t := results.Timeline{TSeconds: []float64{}, HeapBytes: []float64{}, RSSBytes: []float64{}, Goroutines: []float64{}}
	step := 1
	if n > 0 && len(samples) > n {
		step = (len(samples) + n - 1) / n
	}
	for i := 0; i < len(samples); i += step {
		s := samples[i]
		t.TSeconds = append(t.TSeconds, s.Elapsed.Seconds())
		t.HeapBytes = append(t.HeapBytes, float64(s.HeapBytes))
		t.RSSBytes = append(t.RSSBytes, float64(s.RSSBytes))
		t.Goroutines = append(t.Goroutines, float64(s.Goroutines))
	}
	return t
}

// peakRSS returns this process's peak resident set size (VmHWM), or 0 when
// unknown. The parent's rusage is not used for it: on Linux a child's
// ru_maxrss starts from the parent's RSS at fork, because exec records the
// address space it replaces (the parent's, shared by vfork) into the child's
// maximum, so a small run would report the memprism parent's own RSS.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}
