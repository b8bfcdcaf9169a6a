package workloads

import (
	"context"
	"strings"
	"testing"

	"github.com/memprism/memprism/metric"
)

var testHits = metric.Info{Name: "hit_rate", Unit: metric.Ratio, Direction: metric.HigherIsBetter, Label: "hits", Doc: "hits"}

func TestRunHandle(t *testing.T) {
	var keep [][]byte
	k := Kind{
		Name: "handle-test", Doc: "test", Metrics: []metric.Info{testHits},
		Run: func(ctx context.Context, r *Run) error {
			r.AddOps(3)
			r.AddOps(4)
			for range 64 {
				keep = append(keep, make([]byte, 64<<10)) // 4 MiB held at the snapshot
			}
			r.Snapshot("held")
			r.Metric("hit_rate", 0.75, metric.Ratio, metric.HigherIsBetter)
			r.ReportLatency(LatencySummary{Count: 7})
			return nil
		},
	}
	reg := NewRegistry()
	reg.MustRegister(k)
	r, err := reg.Run(context.Background(), "handle-test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ops() != 7 || r.Latency() == nil || r.Latency().Count != 7 {
		t.Errorf("ops %d latency %+v", r.Ops(), r.Latency())
	}
	snaps := r.Snapshots()
	if len(snaps) != 1 || snaps[0].Label != "held" || snaps[0].LiveHeapBytes < 4<<20 || snaps[0].HeapObjects == 0 || snaps[0].Goroutines == 0 {
		t.Fatalf("snapshots %+v, want one holding >= 4 MiB", snaps)
	}
	m := snaps[0].Metrics()
	// live_heap_growth_bytes is the host's to add: only it knows the baseline.
	if m["snapshot.held.live_heap_bytes"] != float64(snaps[0].LiveHeapBytes) || len(m) != len(metric.SnapshotFields)-1 {
		t.Errorf("snapshot metrics %v", m)
	}
	for name := range m {
		if _, ok := metric.Lookup(name); !ok {
			t.Errorf("snapshot metric %s not in the catalogue", name)
		}
	}
	if got := r.Metrics(); len(got) != 1 || got[0].Value != 0.75 || got[0].Unit != metric.Ratio {
		t.Errorf("metrics %+v", got)
	}
	keep = nil
}

func TestRunHandleMisuse(t *testing.T) {
	tests := []struct {
		name string
		use  func(r *Run)
		want string
	}{
		{"bad label", func(r *Run) { r.Snapshot("Has Space") }, "snapshot label"},
		{"label twice", func(r *Run) { r.Snapshot("a"); r.Snapshot("a") }, "used twice"},
		{"undeclared", func(r *Run) { r.Metric("nope", 1, metric.Count, metric.LowerIsBetter) }, "not declared"},
		{"other unit", func(r *Run) { r.Metric("hit_rate", 1, metric.Count, metric.HigherIsBetter) }, "declared in ratio"},
		{"not finite", func(r *Run) { r.Metric("hit_rate", inf(), metric.Ratio, metric.HigherIsBetter) }, "not finite"},
		{"ratio above one", func(r *Run) { r.Metric("hit_rate", 1.5, metric.Ratio, metric.HigherIsBetter) }, "1.5 is out of range for hit_rate: allowed ratio in [0, 1]"},
		{"negative ratio", func(r *Run) { r.Metric("hit_rate", -0.1, metric.Ratio, metric.HigherIsBetter) }, "-0.1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Kind{Name: "misuse", Metrics: []metric.Info{testHits}, Run: func(ctx context.Context, r *Run) error { tt.use(r); return nil }}
			_, err := k.Execute(context.Background(), nil, RunOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func inf() float64 { z := 0.0; return 1 / z }

func TestSkipSnapshots(t *testing.T) {
	k := Kind{Name: "skip", Run: func(ctx context.Context, r *Run) error { r.Snapshot("x"); return nil }}
	r, err := k.Execute(context.Background(), nil, RunOptions{SkipSnapshots: true})
	if err != nil || len(r.Snapshots()) != 0 {
		t.Errorf("snapshots %v, err %v; want none", r.Snapshots(), err)
	}
}

func TestKindMetricValidation(t *testing.T) {
	run := func(context.Context, *Run) error { return nil }
	tests := []struct {
		name string
		give []metric.Info
		want string
	}{
		{"catalogue clash", []metric.Info{{Name: "peak_heap_bytes", Doc: "x"}}, "already in the catalogue"},
		{"bad name", []metric.Info{{Name: "Bad", Doc: "x"}}, "invalid metric name"},
		{"duplicate", []metric.Info{testHits, testHits}, "duplicate metric"},
		{"no doc", []metric.Info{{Name: "x"}}, "needs a one-line Doc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewRegistry().Register(Kind{Name: "k", Metrics: tt.give, Run: run})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
