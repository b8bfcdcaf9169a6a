package workloads

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/memprism/memprism/load"
	"github.com/memprism/memprism/metric"
)

// Run is the handle of one workload execution: the workload reads its
// params from it, counts its ops, takes labelled snapshots and reports its
// own metrics and latency through it. The host (the harness's worker, a
// test, a benchmark) creates it with NewRun and reads the figures after the
// RunFunc returns. Its methods are safe for concurrent use.
type Run struct {
	// Params are the resolved parameter values of the execution.
	Params Params

	ops      atomic.Int64
	start    time.Time
	snapshot func(label string) Snapshot // nil: snapshots skipped

	mu        sync.Mutex
	declared  map[string]metric.Info // the kind's own metrics, by name
	snapshots []Snapshot
	custom    map[string]Value
	latency   *LatencySummary
	load      *load.Run // opened by Load (loadrun.go)
	errs      []error
}

// RunOptions configures NewRun; the zero value works.
type RunOptions struct {
	// Metrics declares the workload's own metrics (Kind.Metrics): Metric
	// accepts only these names, so a scenario can name them in targets.
	Metrics []metric.Info
	// Snapshot, when set, replaces TakeSnapshot (a host that records the
	// snapshot in its own timeline).
	Snapshot func(label string) Snapshot
	// SkipSnapshots makes Run.Snapshot record nothing and run no GC, for
	// hosts that must not be perturbed by a workload's snapshots (benchmark
	// loops, where a GC per iteration would change the figures).
	SkipSnapshots bool
}

// NewRun returns the handle of one execution with resolved params p.
func NewRun(p Params, o RunOptions) *Run {
	r := &Run{Params: p, start: time.Now(), snapshot: o.Snapshot}
	switch {
	case o.SkipSnapshots:
		r.snapshot = nil
	case r.snapshot == nil:
		r.snapshot = TakeSnapshot
	}
	if len(o.Metrics) > 0 {
		r.declared = make(map[string]metric.Info, len(o.Metrics))
		for _, m := range o.Metrics {
			r.declared[m.Name] = m
		}
	}
	return r
}

// AddOps counts n more ops (trade messages, units of work).
func (r *Run) AddOps(n int64) { r.ops.Add(n) }

// Ops returns the ops counted so far.
func (r *Run) Ops() int64 { return r.ops.Load() }

// Snapshot is a labelled reading taken in the middle of a workload, the
// seed's take_snapshot(label): a GC first, so the live heap is what the
// workload still references at that point.
type Snapshot struct {
	// Label names the snapshot in metric names: snapshot.<label>.<field>.
	Label string `json:"label"`
	// Elapsed is the time since the run started.
	Elapsed time.Duration `json:"elapsed_ns"`
	// LiveHeapBytes is the heap marked live by the snapshot's GC (/gc/heap/live:bytes).
	LiveHeapBytes uint64 `json:"live_heap_bytes"`
	// HeapObjects is the number of heap objects after that GC (/gc/heap/objects:objects).
	HeapObjects uint64 `json:"heap_objects"`
	// RSSBytes is the resident set size after that GC (/proc/self/statm; 0 where unknown).
	RSSBytes uint64 `json:"rss_bytes"`
	// Goroutines is the number of live goroutines (/sched/goroutines:goroutines).
	Goroutines uint64 `json:"goroutines"`
}

// Metrics returns the snapshot's figures under their report names
// (snapshot.<label>.live_heap_bytes, ...).
func (s Snapshot) Metrics() map[string]float64 {
	return map[string]float64{
		metric.SnapshotName(s.Label, metric.SnapLiveHeapBytes): float64(s.LiveHeapBytes),
		metric.SnapshotName(s.Label, metric.SnapHeapObjects):   float64(s.HeapObjects),
		metric.SnapshotName(s.Label, metric.SnapRSSBytes):      float64(s.RSSBytes),
		metric.SnapshotName(s.Label, metric.SnapGoroutines):    float64(s.Goroutines),
	}
}

// snapshotMetrics are the runtime/metrics a snapshot reads after its GC.
var snapshotMetrics = [...]string{"/gc/heap/live:bytes", "/gc/heap/objects:objects", "/sched/goroutines:goroutines"}

// TakeSnapshot runs a full GC and reads the live heap, heap objects, RSS
// and goroutines; Elapsed is left 0. It is the default Run.Snapshot.
func TakeSnapshot(label string) Snapshot {
	runtime.GC()
	var ms [len(snapshotMetrics)]metrics.Sample
	for i, n := range snapshotMetrics {
		ms[i].Name = n
	}
	metrics.Read(ms[:])
	u := func(i int) uint64 {
		if ms[i].Value.Kind() == metrics.KindUint64 {
			return ms[i].Value.Uint64()
		}
		return 0
	}
	return Snapshot{Label: label, LiveHeapBytes: u(0), HeapObjects: u(1), Goroutines: u(2), RSSBytes: residentBytes()}
}

// Snapshot takes a labelled snapshot now (a full GC: call it at the points
// that matter, not per message) and records it as the metrics
// snapshot.<label>.live_heap_bytes, .heap_objects, .rss_bytes and
// .goroutines. A label must match [a-z0-9][a-z0-9_]* and be used once per
// run; a bad or repeated label is recorded as an error of the run (Err) and
// the snapshot is not kept. With RunOptions.SkipSnapshots it does nothing
// and returns a Snapshot with only the label set.
func (r *Run) Snapshot(label string) Snapshot {
	if r.snapshot == nil {
		return Snapshot{Label: label}
	}
	if !metric.ValidLabel(label) {
		r.fail(fmt.Errorf("snapshot label %q: want [a-z0-9][a-z0-9_]*, at most 64 characters", label))
		return Snapshot{Label: label}
	}
	r.mu.Lock()
	for _, s := range r.snapshots {
		if s.Label == label {
			r.mu.Unlock()
			r.fail(fmt.Errorf("snapshot label %q used twice", label))
			return Snapshot{Label: label}
		}
	}
	r.mu.Unlock()
	s := r.snapshot(label)
	s.Label, s.Elapsed = label, time.Since(r.start)
	r.mu.Lock()
	r.snapshots = append(r.snapshots, s)
	r.mu.Unlock()
	return s
}

// Snapshots returns the snapshots taken, in order.
func (r *Run) Snapshots() []Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Snapshot(nil), r.snapshots...)
}

// Value is one of a workload's own metrics with its catalogue entry.
type Value struct {
	metric.Info
	Value float64 `json:"value"`
}

// Metric reports one of the workload's own metrics (a pool's hit rate, a
// cache's size). The name must be declared by the kind (Kind.Metrics) with
// the same unit and direction, so scenarios can target it; a later call for
// the same name replaces the value. Misuse (undeclared name, other unit or
// direction, NaN or infinity, a value outside what its unit allows:
// negative, or a ratio beyond [0, 1], see metric.Info.Allowed) is recorded
// as an error of the run (Err).
func (r *Run) Metric(name string, value float64, unit metric.Unit, dir metric.Direction) {
	r.mu.Lock()
	defer r.mu.Unlock()
	info, ok := r.declared[name]
	switch {
	case !ok:
		r.errs = append(r.errs, fmt.Errorf("metric %q is not declared by the workload kind (Kind.Metrics)", name))
		return
	case info.Unit != unit || info.Direction != dir:
		r.errs = append(r.errs, fmt.Errorf("metric %q reported in %s, %s is better; declared in %s, %s is better",
			name, unit, dir, info.Unit, info.Direction))
		return
	case value != value || value > 1e308 || value < -1e308:
		r.errs = append(r.errs, fmt.Errorf("metric %q: value %v is not finite", name, value))
		return
	case info.CheckValue(value) != nil:
		// Report readers refuse such a figure (results.Validate).
		r.errs = append(r.errs, fmt.Errorf("metric %q: %w", name, info.CheckValue(value)))
		return
	}
	if r.custom == nil {
		r.custom = make(map[string]Value)
	}
	r.custom[name] = Value{Info: info, Value: value}
}

// Metrics returns the workload's own metrics reported so far, sorted by name.
func (r *Run) Metrics() []Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Value, 0, len(r.custom))
	for _, v := range r.custom {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LatencySummary is the per-message end-to-end latency of a message workload.
type LatencySummary struct {
	Count int64
	P50   time.Duration
	P95   time.Duration
	P99   time.Duration
	Max   time.Duration
}

// ReportLatency sets the run's per-message latency summary, reported as
// latency_p50_seconds, latency_p95_seconds and latency_p99_seconds. It is
// the seam for richer latency recording (intended-time latency, service
// time and send lag from an open-model load generator).
func (r *Run) ReportLatency(s LatencySummary) {
	r.mu.Lock()
	r.latency = &s
	r.mu.Unlock()
}

// Latency returns the summary set by ReportLatency; without one, that of
// the load generator opened with Load (latency from intended times); else nil.
func (r *Run) Latency() *LatencySummary {
	r.mu.Lock()
	l, lr := r.latency, r.load
	r.mu.Unlock()
	if l != nil {
		c := *l
		return &c
	}
	if lr != nil {
		q := lr.Stats().Latency
		return &LatencySummary{Count: q.Count, P50: q.P50, P95: q.P95, P99: q.P99, Max: q.Max}
	}
	return nil
}

// fail records a misuse of the handle.
func (r *Run) fail(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

// Err returns the misuses of the handle recorded so far (bad snapshot
// labels, undeclared metrics), joined, or nil.
func (r *Run) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.errs...)
}
