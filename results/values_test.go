package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/memprism/memprism/metric"
)

// TestValidateValues feeds reports with figures no run can produce and checks
// that every reader's decoder refuses them, naming the scenario, variant,
// run and metric and what is allowed; figures a run can produce pass.
func TestValidateValues(t *testing.T) {
	const naive = `scenario "trade-records" variant "naive"`
	tests := []struct {
		name string
		// raw sets runs[0].metrics[metric] of the naive variant to this JSON text.
		metric, raw string
		change      func(r *Report)
		want        string // "" when the report is valid
	}{
		{name: "fixture"},
		{name: "zero bytes", metric: metric.PeakHeapBytes, raw: "0"},
		{name: "negative growth", metric: metric.GrowthBytes, raw: "-1048576"},
		{name: "largest byte count", metric: metric.TotalAllocBytes, raw: "18446744073709551615"},
		{name: "negative bytes", metric: metric.PeakHeapBytes, raw: "-5",
			want: naive + ` runs[0].metrics.peak_heap_bytes: -5 is negative; peak_heap_bytes is never negative: allowed bytes in [0, 1.8446744073709552e+19]`},
		{name: "negative count", metric: metric.AllocsPerOp, raw: "-0.5",
			want: `runs[0].metrics.allocs_per_op: -0.5 is negative`},
		{name: "negative seconds", metric: metric.LatencyP95Seconds, raw: "-1e-3",
			want: `runs[0].metrics.latency_p95_seconds: -0.001 is negative`},
		{name: "negative rate", metric: metric.OpsPerSec, raw: "-100",
			want: `runs[0].metrics.ops_per_sec: -100 is negative`},
		{name: "absurd bytes", metric: metric.PeakRSSBytes, raw: "1e308",
			want: naive + ` runs[0].metrics.peak_rss_bytes: 1e+308 is out of range for peak_rss_bytes: allowed bytes in [0, 1.8446744073709552e+19]`},
		{name: "absurd seconds", metric: metric.DurationSeconds, raw: "1e12",
			want: `runs[0].metrics.duration_seconds: 1e+12 is out of range for duration_seconds: allowed seconds in [0, 9.223372036854776e+09]`},
		{name: "absurd negative growth", metric: metric.GrowthBytes, raw: "-1e308",
			want: `runs[0].metrics.growth_bytes: -1e+308 is out of range for growth_bytes: allowed bytes in [-1.8446744073709552e+19, 1.8446744073709552e+19]`},
		{name: "negative snapshot", metric: "snapshot.x.live_heap_bytes", raw: "-1",
			want: `runs[0].metrics.snapshot.x.live_heap_bytes: -1 is negative`},
		{name: "null", metric: metric.PeakHeapBytes, raw: "null",
			want: naive + ` runs[0].metrics.peak_heap_bytes: "null" is not a number; allowed: a number`},
		{name: "NaN string", metric: metric.PeakHeapBytes, raw: `"NaN"`,
			want: `runs[0].metrics.peak_heap_bytes: "\"NaN\"" is not a number`},
		{name: "Infinity string", metric: metric.GCCycles, raw: `"+Inf"`,
			want: `runs[0].metrics.gc_cycles: "\"+Inf\"" is not a number`},
		{name: "beyond float64", metric: metric.PeakHeapBytes, raw: "1e400",
			want: `runs[0].metrics.peak_heap_bytes: "1e400" does not fit a float64`},
		{name: "object", metric: metric.PeakHeapBytes, raw: `{"x":1}`,
			want: `runs[0].metrics.peak_heap_bytes: "{\"x\":1}" is not a number`},
		{name: "leak probe run", change: func(r *Report) {
			v := &r.Scenarios[0].Variants[0]
			v.LeakProbeRuns = []Run{{Metrics: map[string]float64{metric.FinalHeapBytes: -1}}}
		}, want: naive + ` leak_probe_runs[0].metrics.final_heap_bytes: -1 is negative`},
		{name: "summary median", change: func(r *Report) {
			s := r.Scenarios[0].Variants[1].Summary[metric.PeakHeapBytes]
			s.Median = -1e308
			r.Scenarios[0].Variants[1].Summary[metric.PeakHeapBytes] = s
		}, want: `scenario "trade-records" variant "compact" summary.peak_heap_bytes.median: -1e+308 is negative`},
		{name: "summary stddev", change: func(r *Report) {
			s := r.Scenarios[0].Variants[1].Summary[metric.PeakHeapBytes]
			s.Stddev = -3
			r.Scenarios[0].Variants[1].Summary[metric.PeakHeapBytes] = s
		}, want: `variant "compact" summary.peak_heap_bytes: stddev -3 is out of range; allowed: [0, `},
		{name: "leak p-value", change: func(r *Report) {
			r.Scenarios[0].Variants[2].Leak.PValue = 2
		}, want: `scenario "trade-records" variant "leaky" leak.p_value: 2 is out of range; allowed: a p-value in [0, 1]`},
		{name: "leak threshold", change: func(r *Report) {
			r.Scenarios[0].Variants[2].Leak.ThresholdBytes = -1
		}, want: `variant "leaky" leak.threshold_bytes: -1 is out of range; allowed: bytes in [0, 1.8446744073709552e+19]`},
		{name: "timeline heap", change: func(r *Report) {
			tl := r.Scenarios[0].Variants[0].Timeline
			tl.HeapBytes[3], tl.HeapBytes[4] = -1, -2
		}, want: naive + ` timeline.heap_bytes[3]: -1 is out of range; allowed: bytes in [0, 1.8446744073709552e+19]`},
		{name: "timeline time", change: func(r *Report) {
			r.Scenarios[0].Variants[0].Timeline.TSeconds[0] = 1e300
		}, want: naive + ` timeline.t_seconds[0]: 1e+300 is out of range; allowed: seconds in [0, 9.223372036854776e+09]`},
		{name: "target median", change: func(r *Report) {
			r.Scenarios[0].Targets[0].Results[0].Median = -1
		}, want: `scenario "trade-records" targets[0].results[0].median: -1 is negative`},
		{name: "target confidence", change: func(r *Report) {
			r.Scenarios[0].Targets[0].Results[0].Confidence = 95
		}, want: `scenario "trade-records" targets[0].results[0].confidence: 95 is out of range; allowed: [0, 1]`},
		{name: "stored comparison", change: func(r *Report) {
			r.Scenarios[0].Comparisons[1].Summary.Median = 1e300
		}, want: `scenario "trade-records" comparisons[1] (`},
		{name: "workload ratio above one", change: func(r *Report) {
			s := &r.Scenarios[0]
			s.Metrics = append(s.Metrics, metric.Info{Name: "pool_hit_rate", Unit: metric.Ratio, Direction: metric.HigherIsBetter})
			s.Variants[0].Runs[3].Metrics["pool_hit_rate"] = 1.5
		}, want: naive + ` runs[3].metrics.pool_hit_rate: 1.5 is out of range for pool_hit_rate: allowed ratio in [0, 1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := loadFixture(t)
			if tt.change != nil {
				tt.change(r)
			}
			var b bytes.Buffer
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			data := b.Bytes()
			if tt.metric != "" {
				data = setRunMetric(t, data, tt.metric, tt.raw)
			}
			_, err := DecodeReport(bytes.NewReader(data))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("valid report rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidReport) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("DecodeReport = %v\nwant ErrInvalidReport mentioning %s", err, tt.want)
			}
		})
	}
}

// setRunMetric sets scenarios[0].variants[0].runs[0].metrics[name] of a
// report.json to the JSON text raw.
func setRunMetric(t *testing.T, report []byte, name, raw string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc["scenarios"].([]any)[0].(map[string]any)["variants"].([]any)[0].(map[string]any)["runs"].([]any)[0].(map[string]any)
	run["metrics"].(map[string]any)[name] = json.RawMessage(raw)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMarkdownEscapes checks that free text from the runs (a variant's
// error, a run's error) reaches summary.md escaped as everything memprism
// prints is, so `cat summary.md` cannot drive the terminal.
func TestMarkdownEscapes(t *testing.T) {
	r := loadFixture(t)
	r.Scenarios[0].Variants[1].Error = "worker said \x1b]0;owned\x07\x1b[2J and \u202eevil"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("summary.md holds raw control characters")
	}
	if want := `worker said \x1b]0;owned\a\x1b[2J and \u202eevil`; !strings.Contains(got, want) {
		t.Errorf("summary.md lacks %s", want)
	}
}
