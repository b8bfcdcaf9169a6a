package harness

import (
	"slices"
	"strings"
	"testing"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
)

func seq(base float64, n int, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = base + float64(i)*step
	}
	return out
}

func TestJudgeReduction(t *testing.T) {
	tests := []struct {
		name   string
		metric string
		base   []float64
		cand   []float64
		target float64
		want   string
	}{
		{name: "halved, 10 runs", metric: "peak_heap_bytes", base: seq(100, 10, 1), cand: seq(50, 10, 1), target: 0.33, want: results.Pass},
		{name: "only 10 percent", metric: "peak_heap_bytes", base: seq(100, 10, 1), cand: seq(90, 10, 1), target: 0.33, want: results.Fail},
		{name: "halved but 2 runs", metric: "peak_heap_bytes", base: seq(100, 2, 1), cand: seq(50, 2, 1), target: 0.33, want: results.Inconclusive},
		{name: "same distribution", metric: "peak_heap_bytes", base: seq(100, 10, 1), cand: seq(100, 10, 1), target: 0.33, want: results.Fail},
		{name: "at the line with noise", metric: "peak_heap_bytes", base: seq(100, 10, 0.5), cand: []float64{50, 90, 55, 85, 60, 80, 62, 78, 64, 66}, target: 0.33, want: results.Inconclusive},
		{name: "exact counts, 2 runs", metric: "allocs_per_op", base: []float64{10, 10}, cand: []float64{2, 2}, target: 0.5, want: results.Pass},
		{name: "exact counts, too small a cut", metric: "allocs_per_op", base: []float64{10, 10}, cand: []float64{9, 9}, target: 0.5, want: results.Fail},
		{name: "no candidate runs", metric: "peak_heap_bytes", base: seq(100, 5, 1), cand: nil, target: 0.33, want: results.Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeReduction(tt.metric, "v", tt.base, tt.cand, tt.target)
			if got.Verdict != tt.want {
				t.Errorf("verdict = %s (%s), want %s", got.Verdict, got.Reason, tt.want)
			}
			if got.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

func TestJudgeBound(t *testing.T) {
	hi, lo := 10.0, 2.0
	tests := []struct {
		name     string
		cand     []float64
		max, min *float64
		want     string
	}{
		{"under max", []float64{1, 5, 9}, &hi, nil, results.Pass},
		{"median over max", []float64{9, 11, 12}, &hi, nil, results.Fail},
		{"below min", []float64{1, 1, 3}, nil, &lo, results.Fail},
		{"inside both", []float64{3, 4, 5}, &hi, &lo, results.Pass},
		{"no runs", nil, &hi, nil, results.Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := judgeBound("v", tt.cand, tt.max, tt.min); got.Verdict != tt.want {
				t.Errorf("verdict = %s (%s), want %s", got.Verdict, got.Reason, tt.want)
			}
		})
	}
}

func TestJudgeLeakMajority(t *testing.T) {
	leak := results.Leak{Detected: true, SlopeBytesPerSec: 8 << 20}
	none := results.Leak{}
	tests := []struct {
		name     string
		runs     []results.Leak
		detected bool
		severity string
	}{
		{"all leak", []results.Leak{leak, leak, leak}, true, "high"},
		{"one of three", []results.Leak{leak, none, none}, false, "none"},
		{"two of three", []results.Leak{leak, leak, none}, true, "high"},
		{"half is not most", []results.Leak{leak, none}, false, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeLeak(5<<20, tt.runs)
			if got.Detected != tt.detected || got.Severity != tt.severity {
				t.Errorf("got detected=%v severity=%s, want %v %s", got.Detected, got.Severity, tt.detected, tt.severity)
			}
			if got.Runs != len(tt.runs) {
				t.Errorf("runs = %d, want %d", got.Runs, len(tt.runs))
			}
		})
	}
	if judgeLeak(1, nil) != nil {
		t.Error("no runs must give no leak verdict")
	}
}

func TestScenarioVerdict(t *testing.T) {
	pass := results.Target{Results: []results.TargetResult{{Verdict: results.Pass}}}
	inconclusive := results.Target{Results: []results.TargetResult{{Verdict: results.Inconclusive}}}
	ok := results.Variant{Name: "a", Runs: []results.Run{{}}}
	leaky := results.Variant{Name: "b", Leak: &results.Leak{Detected: true}}
	tests := []struct {
		name string
		sc   results.Scenario
		want string
	}{
		{"targets pass", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{pass}}, results.Pass},
		{"inconclusive fails the gate", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{inconclusive}}, results.Fail},
		{"unexpected leak", results.Scenario{Variants: []results.Variant{leaky}}, results.Fail},
		{"expected leak found", results.Scenario{Variants: []results.Variant{{Name: "b", ExpectLeak: true, Leak: &results.Leak{Detected: true}}}}, results.Pass},
		{"expected leak missing", results.Scenario{Variants: []results.Variant{{Name: "b", ExpectLeak: true, Leak: &results.Leak{}}}}, results.Fail},
		{"crashed run", results.Scenario{Variants: []results.Variant{{Name: "c", Runs: []results.Run{{Error: "boom", Fault: worker.FaultPanic}}}}}, results.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scenarioVerdict(&tt.sc); got != tt.want {
				t.Errorf("verdict = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestJudgeLeakInconclusive(t *testing.T) {
	undecided := results.Leak{Inconclusive: true, Reason: "too few GC cycles"}
	if got := judgeLeak(5<<20, []results.Leak{undecided, undecided}); got.Detected || !got.Inconclusive {
		t.Errorf("all runs undecided: %+v, want not detected and inconclusive", got)
	}
	if got := judgeLeak(5<<20, []results.Leak{undecided, {}}); got.Inconclusive {
		t.Errorf("one run judged: %+v, want a judgement", got)
	}
}

// The schema's target metrics (scenarios) and the report's catalogue
// (results) live in two packages that may not import each other: they must
// name the same metrics.
func TestMetricCataloguesAgree(t *testing.T) {
	var reported []string
	for _, m := range results.Metrics {
		reported = append(reported, m.Name)
	}
	slices.Sort(reported)
	if got, want := strings.Join(scenarios.MetricNames(), " "), strings.Join(reported, " "); got != want {
		t.Errorf("scenarios.Metrics:\n%s\nresults.Metrics:\n%s", got, want)
	}
}
