package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/workloads"
)

// counters are the cumulative runtime figures read right around a workload,
// so the harness's own setup and teardown stay out of the per-op figures.
type counters struct {
	allocBytes, allocs, gcCycles, forcedGCCycles uint64
}

// readCounters reads exact allocation counters. It is called twice per run,
// around the workload, never in a loop: runtime.ReadMemStats stops the world,
// but it also flushes every P's cached allocation counts, which
// runtime/metrics does not (it can lag by a span per size class per P), and
// it is what `go test -benchmem` reads, so the figures agree with it.
func readCounters() counters {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return counters{allocBytes: m.TotalAlloc, allocs: m.Mallocs, gcCycles: uint64(m.NumGC), forcedGCCycles: uint64(m.NumForcedGC)}
}

// gcProbeQuiet is how long a leak-probe run may go without a GC cycle before
// the profiler's sampler forces one for the leak judge
// (profiler.Options.GCQuiet). Measurement runs never force one.
const gcProbeQuiet = 50 * time.Millisecond

// Serve runs the job read from r in this process and writes its Result to
// the job's ResultPath. It is the body of the hidden worker subcommand; an
// error means the protocol failed (the caller prints it and exits non-zero),
// while a workload error is reported inside the result.
func Serve(ctx context.Context, reg *workloads.Registry, r io.Reader) error {
	if reg == nil {
		reg = workloads.Default
	}
	rt := readRuntime() // before the job's code can change any of it
	job, err := decodeJob(r)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	res := runJob(ctx, reg, job)
	res.Protocol, res.Runtime = Version, rt
	err = results.WriteFileAtomic(job.ResultPath, func(w io.Writer) error { return encode(w, res) })
	if err != nil {
		return fmt.Errorf("worker: writing result: %w", err)
	}
	return nil
}

// readRuntime reads the Go runtime configuration this process runs with.
func readRuntime() Runtime {
	samples := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(samples)
	rt := Runtime{GOGC: -1, MemoryLimit: math.MaxInt64, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if v := samples[0].Value; v.Kind() == metrics.KindUint64 {
		// The runtime stores GOGC=off as -1, which reads back as the largest uint64.
		if p := int64(v.Uint64()); p >= 0 && p <= math.MaxInt32 {
			rt.GOGC = int(p)
		}
	}
	if v := samples[1].Value; v.Kind() == metrics.KindUint64 {
		rt.MemoryLimit = int64(min(v.Uint64(), math.MaxInt64))
	}
	return rt
}

func runJob(ctx context.Context, reg *workloads.Registry, job Job) *Result {
	res := &Result{Metrics: map[string]float64{}}
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
		// job.Timeout - job.Timeout/20, not *95/100: no overflow near the largest durations.
		ctx, cancel = context.WithTimeout(ctx, job.Timeout-job.Timeout/20)
		defer cancel()
	}

	// The rate is set for the life of the worker, not only while profiling: the
	// heap profile scales its samples by the rate in force when it is written.
	if job.ProfileRate > 0 {
		runtime.MemProfileRate = job.ProfileRate
	}
	// SettleGC: every run starts from the same settled heap, without the
	// baseline profile's own garbage. GCQuiet, in leak-probe runs only: enough
	// post-GC readings for the leak judge even when the workload only retains
	// memory; measurement runs are left to the runtime's own GC.
	var quiet time.Duration
	if job.LeakProbe {
		quiet = gcProbeQuiet
	}
	prof := profiler.New(profiler.Options{
		Interval: job.SampleInterval, SettleGC: true, GCQuiet: quiet,
		Leak: profiler.LeakOptions{Threshold: job.LeakThreshold}, TopSites: job.TopN,
		BeforeBaseline: shedFootprint,
		UserPrefixes:   job.UserPrefixes,
	})
	if err := prof.Start(); err != nil {
		res.Error = fmt.Sprintf("starting profiler: %v", err)
		return res
	}
	before := readCounters()
	start := time.Now()
	out, runErr := kind.Execute(ctx, params, workloads.RunOptions{})
	elapsed := time.Since(start)
	after := readCounters()
	hwm := selfPeakRSS() // before the analysis below adds its own pages
	_ = prof.Stop()
	gc := prof.ForceGC()

	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		res.Error = runErr.Error()
	} else if runErr != nil {
		res.Error = "canceled: " + runErr.Error()
	}

	// One analysis of the session: summary, leak verdict, sites and
	// recommendations from a single heap profile.
	rep := prof.Report()
	sum := rep.Summary
	// The profiler's figures under their report names (peak, mean and
	// spread of the heap, GC pauses, the heap goal at the floor, peak
	// goroutines, the RSS split); allocation and GC counts and the duration
	// are measured around the workload below, as -benchmem does, and replace
	// the profiler's. The RSS figures stay out where no baseline RSS was read.
	m := res.Metrics
	maps.Copy(m, sum.Metrics())
	if sum.BaselineRSSBytes == 0 {
		delete(m, metric.BaselineRSSBytes)
		delete(m, metric.PeakRSSAnonBytes)
		delete(m, metric.PeakRSSFileBytes)
	}
	m[metric.SampleGapMaxSeconds] = sum.MaxSampleGap.Seconds()
	m[metric.FinalHeapBytes] = float64(gc.After.LiveHeapBytes)
	growth := float64(gc.After.LiveHeapBytes) - float64(sum.BaselineHeapBytes)
	m[metric.GrowthBytes] = growth
	if s := elapsed.Seconds(); s > 0 {
		m[metric.GrowthRateBytesPerSec] = growth / s
		m[metric.OpsPerSec] = float64(out.Ops()) / s
	}
	m[metric.TotalAllocBytes] = float64(after.allocBytes - before.allocBytes)
	allocs := after.allocs - before.allocs
	m[metric.TotalAllocs] = float64(allocs)
	if ops := out.Ops(); ops > 0 {
		m[metric.BytesPerOp] = m[metric.TotalAllocBytes] / float64(ops)
		m[metric.AllocsPerOp] = float64(allocs) / float64(ops)
	}
	// The runtime's own collections; forced ones (the workload's snapshots,
	// a leak-probe run's GC probe) are counted apart.
	forced := after.forcedGCCycles - before.forcedGCCycles
	m[metric.GCCycles] = float64(after.gcCycles - before.gcCycles - forced)
	m[metric.ForcedGCCycles] = float64(forced)
	m[metric.Ops] = float64(out.Ops())
	m[metric.DurationSeconds] = elapsed.Seconds()
	if l := out.Latency(); l != nil && l.Count > 0 {
		m[metric.LatencyP50Seconds] = l.P50.Seconds()
		m[metric.LatencyP95Seconds] = l.P95.Seconds()
		m[metric.LatencyP99Seconds] = l.P99.Seconds()
	}
	if st := out.LoadStats(); st != nil {
		res.Load, res.Overloaded = loadFigures(m, st)
	}
	// Snapshots and the workload's own metrics carry their unit and direction.
	// A snapshot's live heap growth leaves out the worker's own heap (the
	// baseline), as growth_bytes does.
	for _, s := range out.Snapshots() {
		maps.Copy(m, s.Metrics())
		m[metric.SnapshotName(s.Label, metric.SnapLiveHeapGrowthBytes)] = float64(s.LiveHeapBytes) - float64(sum.BaselineHeapBytes)
	}
	for _, v := range out.Metrics() {
		m[v.Name] = v.Value
		res.MetricInfo = append(res.MetricInfo, v.Info)
	}
	// Peak RSS: the kernel's exact peak (VmHWM) beside the sampled one.
	// The kernel's counters are per-CPU batched, so VmHWM can read a little
	// below a sampled RSS: the peak is the larger of the two.
	if peak := max(hwm, int64(sum.SampledPeakRSSBytes)); peak > 0 {
		m[metric.PeakRSSBytes] = float64(peak)
		if sum.BaselineRSSBytes > 0 {
			m[metric.RSSGrowthBytes] = float64(peak) - float64(sum.BaselineRSSBytes)
		}
	}

	tl := rep.Timeline // LTTB-downsampled, peaks kept
	res.Timeline = results.Timeline{TSeconds: tl.TSeconds, HeapBytes: tl.HeapBytes, RSSBytes: tl.RSSBytes, Goroutines: tl.Goroutines}
	leak := rep.Leak
	res.Leak = results.Leak{
		Detected: leak.Detected, Severity: leak.Severity, GrowthBytes: leak.GrowthBytes,
		SlopeBytesPerSec: leak.SlopeBytesPerSec, PValue: leak.PValue, ThresholdBytes: job.LeakThreshold,
		GoroutineGrowth: leak.GoroutineGrowth, Reason: leak.Reason, Runs: 1,
		Inconclusive: leak.Inconclusive && !leak.Detected,
		HeapLeak:     leak.HeapLeak, GoroutineLeak: leak.GoroutineLeak,
		GoroutineSlopePerSec: leak.GoroutineSlope, GoroutinePValue: leak.GoroutinePValue,
	}
	if leak.Detected {
		res.Leak.RunsDetected = 1
	}
	res.Top, res.TopInUse = resultSites(rep.TopAllocations), resultSites(rep.TopInUse)
	res.Goroutines = resultGoroutines(rep.Goroutines)
	if job.ProfilePath != "" {
		if err := results.WriteFileAtomic(job.ProfilePath, prof.WriteHeapProfileSince); err != nil && res.Error == "" {
			res.Error = fmt.Sprintf("writing heap profile: %v", err)
		}
	}
	for _, r := range rep.Recommendations {
		leakRule := r.Rule == profiler.RuleLeak || r.Rule == profiler.RuleGoroutineLeak
		switch {
		case r.Rule == profiler.RuleLeakUndecided, r.Rule == profiler.RuleLeak:
			continue // the variant's leak verdict says it, with the figures over its judged runs
		case leakRule != job.LeakProbe:
			continue // leak advice comes from leak-probe runs, the rest from measurement runs
		}
		msg := r.Message
		if r.Evidence != "" {
			msg += " Evidence: " + r.Evidence
		}
		res.Recommendations = append(res.Recommendations, msg)
	}
	return res
}

// shedFootprint runs right before the baseline sample: it takes the
// executable's clean pages (code and read-only data the worker's start-up
// touched: flag parsing, YAML, font parsing in gonum/plot's init) out of
// the resident set, then resets VmHWM to the RSS left, so baseline_rss_bytes
// is the worker's own footprint and peak_rss_bytes the peak since then.
// Pages the workload needs come back and count as its own. Errors only
// leave the figures as they were: they are not reported.
func shedFootprint() {
	_, _ = dropCleanFilePages()
	_ = resetPeakRSS()
}
