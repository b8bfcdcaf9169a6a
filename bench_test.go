package memprism_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// BenchmarkScenarios runs every variant of the embedded default suite
// in-process for `go test -bench . -benchmem`, one whole workload execution
// (the scenario's full size, e.g. 20000 trades) per b.Loop iteration, so the
// iteration count is executions. One op is one message on every figure of
// its lines: ns/op, B/op, allocs/op and gc-cycles/op are totals over the
// loop divided by the messages processed. testing prints B/op and allocs/op
// as whole numbers (0.014 allocs/op shows as 0), so B/msg and allocs/msg
// repeat them exactly. peak-heap-B is a level, not a count: the largest heap
// (heap objects) the profiler sampled, every millisecond, during the loop.
// Scenarios of the fault kind are skipped (they crash on purpose), and so
// are variants whose work is sized or paced in time (a duration param above
// zero, such as leak-demo's, or an offered rate, such as seed-plan's): their
// time per message is the clock's, not the code's, and each execution costs
// its whole duration however fast the code is.
func BenchmarkScenarios(b *testing.B) {
	suite, err := scenarios.Default(workloads.Default)
	if err != nil {
		b.Fatalf("load default suite: %v", err)
	}
	for _, sc := range suite.Scenarios {
		if sc.Workload == "fault" {
			continue
		}
		kind, ok := workloads.Lookup(sc.Workload)
		if !ok {
			b.Fatalf("scenario %s: unknown workload %q", sc.Name, sc.Workload)
		}
		for _, v := range sc.Variants {
			b.Run(sc.Name+"/"+v.Name, func(b *testing.B) {
				params, err := workloads.Default.Resolve(sc.Workload, sc.VariantParams(v.Name))
				if err != nil {
					b.Fatalf("scenario %s variant %s: %v", sc.Name, v.Name, err)
				}
				if timeSized(params) {
					b.Skipf("%s/%s: work sized or paced in time (duration %v, rate %v)", sc.Name, v.Name, params["duration"], params["rate"])
				}
				benchWorkload(b, kind, params)
			})
		}
	}
}

// timeSized reports whether params size the work by a duration or pace it
// at an offered rate (an int rate; leak's rate is bytes and comes with a duration).
func timeSized(p workloads.Params) bool {
	if d, ok := p["duration"].(time.Duration); ok && d > 0 {
		return true
	}
	r, ok := p["rate"].(int64)
	return ok && r > 0
}

// benchWorkload executes kind once per b.Loop iteration and reports per-message figures.
func benchWorkload(b *testing.B, kind workloads.Kind, params workloads.Params) {
	b.Helper()
	b.ReportAllocs()
	runtime.GC()
	// The profiler samples the heap (runtime/metrics, no stop-the-world) for
	// the peak; allocation counts come from MemStats, as -benchmem's do.
	prof := profiler.New(profiler.Options{Interval: time.Millisecond})
	if err := prof.Start(); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var msgs int64
	for b.Loop() {
		ctx, cancel := context.WithCancel(b.Context())
		// Snapshots are skipped: their GC in every execution would shape the figures.
		res, err := kind.Execute(ctx, params, workloads.RunOptions{SkipSnapshots: true})
		cancel() // releases what leaky workloads hold until their context ends
		if err != nil {
			b.Fatalf("run %s: %v", kind.Name, err)
		}
		msgs += res.Ops()
	}
	elapsed := b.Elapsed()
	runtime.ReadMemStats(&after)
	_ = prof.Stop() // an RSS read error does not matter here
	if msgs <= 0 {
		b.Fatalf("run %s: no messages processed", kind.Name)
	}
	m := float64(msgs)
	bytesPerMsg := float64(after.TotalAlloc-before.TotalAlloc) / m
	allocsPerMsg := float64(after.Mallocs-before.Mallocs) / m
	b.ReportMetric(float64(elapsed.Nanoseconds())/m, "ns/op")
	b.ReportMetric(bytesPerMsg, "B/op")
	b.ReportMetric(allocsPerMsg, "allocs/op")
	b.ReportMetric(bytesPerMsg, "B/msg")
	b.ReportMetric(allocsPerMsg, "allocs/msg")
	b.ReportMetric(float64(after.NumGC-before.NumGC)/m, "gc-cycles/op")
	b.ReportMetric(float64(prof.Summary().PeakHeapBytes), "peak-heap-B")
}
