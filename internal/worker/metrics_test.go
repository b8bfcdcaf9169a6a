package worker

import (
	"context"
	"testing"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/workloads"
)

// TestWorkerMetricsInCatalogue fails when the worker emits a metric that
// package metric does not define: every name is a catalogue metric, a
// snapshot metric, or one the kind declared and the result describes.
func TestWorkerMetricsInCatalogue(t *testing.T) {
	tests := []struct {
		name  string
		job   Job
		needs []string
	}{
		{"pooled trade-churn", Job{Workload: "trade-churn", Params: map[string]any{"alloc": "pool", "trades": 3000, "retain": 500}},
			[]string{"snapshot.retained.live_heap_bytes", "pool_hit_rate", metric.LatencyP95Seconds, metric.BaselineRSSBytes, metric.RSSGrowthBytes}},
		{"leak probe", Job{Workload: "leak", Params: map[string]any{"mode": "heap-leak", "duration": "120ms"}, LeakProbe: true},
			[]string{metric.ForcedGCCycles, metric.GCCycles}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.job.SampleInterval, tt.job.Timeout = time.Millisecond, time.Minute
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res := runJob(ctx, workloads.Default, tt.job)
			if res.Error != "" {
				t.Fatal(res.Error)
			}
			declared := map[string]metric.Info{}
			for _, m := range res.MetricInfo {
				declared[m.Name] = m
			}
			for name := range res.Metrics {
				if _, ok := metric.Lookup(name); ok {
					continue
				}
				if _, ok := declared[name]; !ok {
					t.Errorf("worker emits %s: not in package metric's catalogue, not a snapshot, not declared", name)
				}
			}
			for _, name := range tt.needs {
				if _, ok := res.Metrics[name]; !ok {
					t.Errorf("metric %s missing", name)
				}
			}
		})
	}
}

// TestMeasurementRunsForceNoGC checks the rule the figures rest on: a
// measurement run of a workload that only retains memory forces no GC (so
// its peak heap is the runtime's own), while its leak-probe run does.
func TestMeasurementRunsForceNoGC(t *testing.T) {
	job := Job{Workload: "leak", Params: map[string]any{"mode": "heap-leak", "duration": "300ms", "rate": "4MiB"},
		SampleInterval: time.Millisecond, Timeout: time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	measured := runJob(ctx, workloads.Default, job)
	job.LeakProbe = true
	probe := runJob(ctx, workloads.Default, job)
	if measured.Error != "" || probe.Error != "" {
		t.Fatal(measured.Error, probe.Error)
	}
	if f := measured.Metrics[metric.ForcedGCCycles]; f != 0 {
		t.Errorf("measurement run: %v forced GC cycles, want 0", f)
	}
	if f := probe.Metrics[metric.ForcedGCCycles]; f < 3 {
		t.Errorf("leak-probe run: %v forced GC cycles over 300 ms of a retain-only workload, want several", f)
	}
}
