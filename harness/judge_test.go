package harness

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/verdict"
)

func seq(base float64, n int, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = base + float64(i)*step
	}
	return out
}

func TestJudgeLeak(t *testing.T) {
	leak := results.Leak{Detected: true, SlopeBytesPerSec: 8 << 20, GrowthBytes: 40 << 20, PValue: 0.001}
	none := results.Leak{SlopeBytesPerSec: 100, GrowthBytes: 1 << 10, PValue: 0.6}
	unjudged := results.Leak{Inconclusive: true, PValue: 1, Reason: "too few GC cycles in the steady state to judge: 1 GC cycles in the window, 4 needed"}
	tests := []struct {
		name         string
		runs         []results.Leak
		judge        bool
		expect       bool
		detected     bool
		notJudged    bool
		verdict      string
		severity     string
		p            float64
		reasonPrefix string
	}{
		{name: "all leak", runs: []results.Leak{leak, leak, leak}, judge: true, expect: true, detected: true, verdict: results.Pass, severity: "high", p: 0.001},
		{name: "one of three", runs: []results.Leak{leak, none, none}, judge: true, verdict: results.Pass, severity: "none", p: 0.6},
		{name: "two of three", runs: []results.Leak{leak, leak, none}, judge: true, detected: true, verdict: results.Fail, severity: "high", p: 0.001},
		{name: "half is not most", runs: []results.Leak{leak, none}, judge: true, verdict: results.Pass, severity: "none", p: 0.3005},
		{name: "unjudged runs do not vote no", runs: []results.Leak{leak, leak, unjudged, unjudged}, judge: true, expect: true, detected: true, verdict: results.Pass, severity: "high", p: 0.001, reasonPrefix: "2 of 2 judged runs found a leak (2 not judged"},
		{name: "fewer than half judged", runs: []results.Leak{none, unjudged, unjudged}, judge: true, notJudged: true, verdict: results.Inconclusive, severity: "none", p: 0.6, reasonPrefix: "not judged: only 1 of 3 runs"},
		{name: "none judged", runs: []results.Leak{unjudged, unjudged}, judge: true, notJudged: true, verdict: results.Inconclusive, severity: "none", p: 1},
		{name: "without a leak block: information", runs: []results.Leak{unjudged, unjudged}, notJudged: true, verdict: "info", severity: "none", p: 1},
		{name: "information even when leaking", runs: []results.Leak{leak, leak}, detected: true, verdict: "info", severity: "high", p: 0.001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeLeak(5<<20, tt.runs, tt.judge, tt.expect)
			if got.Detected != tt.detected || got.Inconclusive != tt.notJudged || got.Verdict != tt.verdict || got.Severity != tt.severity {
				t.Errorf("got detected=%v not judged=%v verdict=%s severity=%s, want %v %v %s %s (%s)",
					got.Detected, got.Inconclusive, got.Verdict, got.Severity, tt.detected, tt.notJudged, tt.verdict, tt.severity, got.Reason)
			}
			if got.PValue != tt.p {
				t.Errorf("p = %g, want %g (the median over judged runs only)", got.PValue, tt.p)
			}
			if got.Runs != len(tt.runs) {
				t.Errorf("runs = %d, want %d", got.Runs, len(tt.runs))
			}
			if !strings.HasPrefix(got.Reason, tt.reasonPrefix) {
				t.Errorf("reason %q, want prefix %q", got.Reason, tt.reasonPrefix)
			}
		})
	}
	if judgeLeak(1, nil, true, false) != nil {
		t.Error("no runs must give no leak verdict")
	}
}

// TestLeakFiguresAgree checks that the recommendation quotes the verdict's
// own figures, so the leak table, its note, the recommendation and
// report.json agree.
func TestLeakFiguresAgree(t *testing.T) {
	runs := []results.Leak{
		{Detected: true, SlopeBytesPerSec: 3 << 20, GrowthBytes: 30 << 20, PValue: 0.025},
		{Detected: true, SlopeBytesPerSec: 2 << 20, GrowthBytes: 20 << 20, PValue: 0.0695},
		{Detected: false, SlopeBytesPerSec: 1 << 20, GrowthBytes: 10 << 20, PValue: 0.446},
	}
	l := judgeLeak(5<<20, runs, true, false)
	rec := leakRecommendation("leaky", l)
	for _, want := range []string{results.FormatBytes(l.SlopeBytesPerSec) + "/s", fmt.Sprintf("p=%.3g", l.PValue), results.FormatBytes(l.GrowthBytes), l.Reason} {
		if !strings.Contains(rec, want) {
			t.Errorf("recommendation %q lacks the verdict's %q", rec, want)
		}
	}
	if l.PValue != 0.0695 || l.SlopeBytesPerSec != 2<<20 {
		t.Errorf("figures p=%g slope=%g, want the medians 0.0695 and 2 MiB/s", l.PValue, l.SlopeBytesPerSec)
	}
}

func TestJudgeTargets(t *testing.T) {
	red, inc, neg := scenarios.Percent(0.33), scenarios.Percent(0.5), scenarios.Percent(0.9)
	sc := &scenarios.Scenario{Baseline: "naive", Targets: []scenarios.Target{
		{Metric: "peak_heap_bytes", Reduction: &red, Variants: []string{"compact"}},
		{Metric: "ops_per_sec", Increase: &inc, Variants: []string{"compact"}},
		{Metric: "allocs_per_op", Reduction: &neg, Variants: []string{"compact"}, Expect: scenarios.ExpectFail},
	}}
	runs := func(heap, ops, allocs []float64) []results.Run {
		var out []results.Run
		for i := range heap {
			out = append(out, results.Run{Metrics: map[string]float64{"peak_heap_bytes": heap[i], "ops_per_sec": ops[i], "allocs_per_op": allocs[i]}})
		}
		return out
	}
	res := &results.Scenario{Baseline: "naive", Variants: []results.Variant{
		{Name: "naive", Runs: runs(seq(100, 6, 1), seq(40, 6, 0.5), []float64{4, 4, 4, 4, 4, 4})},
		{Name: "compact", Runs: runs(seq(50, 6, 1), seq(80, 6, 0.5), []float64{2, 2, 2, 2, 2, 2})},
	}}
	got := judgeTargets(sc, res)
	want := []struct{ verdict, outcome string }{{results.Pass, results.Pass}, {results.Pass, results.Pass}, {results.Fail, results.Pass}}
	for i, w := range want {
		r := got[i].Results[0]
		if r.Verdict != w.verdict || r.Outcome != w.outcome || r.Variant != "compact" {
			t.Errorf("target %d: verdict %s outcome %s variant %s, want %s %s compact (%s)", i, r.Verdict, r.Outcome, r.Variant, w.verdict, w.outcome, r.Reason)
		}
	}
	if got[1].Increase == nil || got[2].Expect != results.Fail {
		t.Errorf("target schema not carried: %+v %+v", got[1], got[2])
	}
}

func TestScenarioVerdict(t *testing.T) {
	target := func(outcome string) results.Target {
		return results.Target{Results: []results.TargetResult{{Verdict: outcome, Outcome: outcome}}}
	}
	ok := results.Variant{Name: "a", Runs: []results.Run{{}}}
	leak := func(verdict string, detected, notJudged bool) *results.Leak {
		return &results.Leak{Verdict: verdict, Detected: detected, Inconclusive: notJudged}
	}
	tests := []struct {
		name string
		sc   results.Scenario
		want string
	}{
		{"targets pass", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{target(results.Pass)}}, results.Pass},
		{"inconclusive target", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{target(results.Pass), target(results.Inconclusive)}}, results.Inconclusive},
		{"every target must pass", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{target(results.Pass), target(results.Fail), target(results.Inconclusive)}}, results.Fail},
		{"negative control refuted", results.Scenario{Variants: []results.Variant{ok}, Targets: []results.Target{{Expect: results.Fail, Results: []results.TargetResult{{Verdict: results.Fail, Outcome: results.Pass}}}}}, results.Pass},
		{"unexpected leak, judged", results.Scenario{JudgeLeaks: true, Variants: []results.Variant{{Name: "b", Leak: leak(results.Fail, true, false)}}}, results.Fail},
		{"leak not judged with a leak block", results.Scenario{JudgeLeaks: true, Variants: []results.Variant{{Name: "b", Leak: leak(results.Inconclusive, false, true)}}, Targets: []results.Target{target(results.Pass)}}, results.Inconclusive},
		{"leak without a leak block is information", results.Scenario{Variants: []results.Variant{{Name: "b", Leak: leak("info", true, false)}}, Targets: []results.Target{target(results.Pass)}}, results.Pass},
		{"expected leak found", results.Scenario{JudgeLeaks: true, Variants: []results.Variant{{Name: "b", ExpectLeak: true, Leak: leak(results.Pass, true, false)}}}, results.Pass},
		{"expected leak missing", results.Scenario{JudgeLeaks: true, Variants: []results.Variant{{Name: "b", ExpectLeak: true, Leak: leak(results.Fail, false, false)}}}, results.Fail},
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

// TestJudgeTargetsUnreportedMetric: a target on a metric that finished runs
// never reported (a snapshot label the workload does not take) is
// inconclusive with that reason and no runs-needed hint, not "too few runs".
func TestJudgeTargetsUnreportedMetric(t *testing.T) {
	run := func(m map[string]float64) results.Run { return results.Run{Metrics: m} }
	runs := func(m map[string]float64, n int) []results.Run {
		out := make([]results.Run, n)
		for i := range out {
			out[i] = run(m)
		}
		return out
	}
	res := &results.Scenario{Name: "s", Baseline: "a", Variants: []results.Variant{
		{Name: "a", Runs: runs(map[string]float64{"peak_heap_bytes": 100}, 6)},
		{Name: "b", Runs: runs(map[string]float64{"peak_heap_bytes": 50, "pool_hit_rate": 0.9}, 6)},
		{Name: "c", Runs: []results.Run{{Error: "boom", Fault: "panic"}}},
	}}
	red := scenarios.Percent(0.1)
	lo := 0.5
	sc := &scenarios.Scenario{Name: "s", Baseline: "a", Targets: []scenarios.Target{
		{Metric: "snapshot.nosuch.live_heap_bytes", Reduction: &red, Variants: []string{"b"}},
		{Metric: "pool_hit_rate", Min: &lo, Variants: []string{"a", "b", "c"}},
	}}
	got := judgeTargets(sc, res)
	tests := []struct {
		target, result int
		want           string // substring of the reason, "" for a verdict decided on data
		verdict        string
	}{
		{0, 0, "no successful run of b reported snapshot.nosuch.live_heap_bytes", results.Inconclusive},
		{1, 0, "no successful run of a reported pool_hit_rate", results.Inconclusive},
		{1, 1, "", results.Pass},
		{1, 2, "too few runs", results.Inconclusive}, // c's runs all failed: too few, not unreported
	}
	for _, tt := range tests {
		tr := got[tt.target].Results[tt.result]
		t.Run(fmt.Sprintf("%s/%s", got[tt.target].Metric, tr.Variant), func(t *testing.T) {
			if tr.Verdict != tt.verdict || !strings.Contains(tr.Reason, tt.want) {
				t.Errorf("verdict %s, reason %q; want %s with %q", tr.Verdict, tr.Reason, tt.verdict, tt.want)
			}
			if tt.want != "" && strings.HasPrefix(tt.want, "no successful") && tr.RunsNeeded != 0 {
				t.Errorf("runs needed %d for an unreported metric", tr.RunsNeeded)
			}
		})
	}
}

// TestJudgeTargetsHeapFloor: a relative verdict on a figure the GC's heap
// goal sets is not drawn where the runtime's minimum heap goal set it: a
// baseline at the floor makes any verdict inconclusive, a candidate at the
// floor only a fail (a pass stands), and figures the floor does not set
// (allocs_per_op) are judged as usual.
func TestJudgeTargetsHeapFloor(t *testing.T) {
	runs := func(peak, allocs, floor float64) []results.Run {
		out := make([]results.Run, 6)
		for i := range out {
			m := map[string]float64{"peak_heap_bytes": peak * (1 + 0.001*float64(i)), "allocs_per_op": allocs * (1 + 0.001*float64(i))}
			if floor >= 0 {
				m["heap_goal_floor_fraction"] = floor
			}
			out[i] = results.Run{Metrics: m}
		}
		return out
	}
	red := scenarios.Percent(0.33)
	tests := []struct {
		name                 string
		base, cand           []results.Run
		wantPeak, wantAllocs string
		wantReason           string
	}{
		{"neither at the floor", runs(100, 100, 0.1), runs(50, 50, 0.4), results.Pass, results.Pass, ""},
		{"baseline at the floor, would pass", runs(100, 100, 0.9), runs(50, 50, 0.9), results.Inconclusive, results.Pass, "floor-decided: a's GC heap goal sat at the runtime's minimum (4 MiB) in 90%"},
		{"baseline at the floor, would fail", runs(100, 100, 0.6), runs(90, 50, 0.1), results.Inconclusive, results.Pass, "which would have been a fail"},
		{"baseline at the floor, undecided", runs(100, 100, 0.9), runs(67, 50, 0.1), results.Inconclusive, results.Pass, "more runs would not lift the floor"},
		{"candidate at the floor, fail", runs(100, 100, 0.2), runs(90, 90, 1), results.Inconclusive, results.Fail, "floor-decided: b's GC heap goal"},
		{"candidate at the floor, pass stands", runs(100, 100, 0.2), runs(50, 50, 1), results.Pass, results.Pass, ""},
		{"old report without the fraction", runs(100, 100, -1), runs(90, 90, -1), results.Fail, results.Fail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &results.Scenario{Name: "s", Baseline: "a", Run: results.RunSettings{GOGC: 100},
				Variants: []results.Variant{{Name: "a", Runs: tt.base}, {Name: "b", Runs: tt.cand}}}
			sc := &scenarios.Scenario{Name: "s", Baseline: "a", Targets: []scenarios.Target{
				{Metric: "peak_heap_bytes", Reduction: &red, Variants: []string{"b"}},
				{Metric: "allocs_per_op", Reduction: &red, Variants: []string{"b"}},
			}}
			got := judgeTargets(sc, res)
			peak, allocs := got[0].Results[0], got[1].Results[0]
			if peak.Verdict != tt.wantPeak || !strings.Contains(peak.Reason, tt.wantReason) {
				t.Errorf("peak_heap_bytes: %s (%s), want %s with %q", peak.Verdict, peak.Reason, tt.wantPeak, tt.wantReason)
			}
			if peak.Verdict == results.Inconclusive && (peak.Method != verdict.MethodHeapFloor || peak.RunsNeeded != 0) {
				t.Errorf("floor-decided: method %s, runs needed %d; want %s, 0 (more runs do not lift the floor)", peak.Method, peak.RunsNeeded, verdict.MethodHeapFloor)
			}
			if allocs.Verdict != tt.wantAllocs {
				t.Errorf("allocs_per_op: %s (%s), want %s: the floor does not set allocation counts", allocs.Verdict, allocs.Reason, tt.wantAllocs)
			}
		})
	}
}

// TestJudgeFloorNamesItsGOGC: the reason names the floor the scenario's
// GOGC makes (4 MiB x GOGC/100), not the default one.
func TestJudgeFloorNamesItsGOGC(t *testing.T) {
	runs := make([]results.Run, 6)
	for i := range runs {
		runs[i] = results.Run{Metrics: map[string]float64{"peak_heap_bytes": 100 + float64(i), "heap_goal_floor_fraction": 1}}
	}
	res := &results.Scenario{Name: "s", Baseline: "a", Run: results.RunSettings{GOGC: 1000},
		Variants: []results.Variant{{Name: "a", Runs: runs}, {Name: "b", Runs: runs}}}
	red := scenarios.Percent(0.33)
	sc := &scenarios.Scenario{Name: "s", Baseline: "a", Targets: []scenarios.Target{{Metric: "peak_heap_bytes", Reduction: &red, Variants: []string{"b"}}}}
	tr := judgeTargets(sc, res)[0].Results[0]
	if want := "minimum (40 MiB at GOGC=1000)"; tr.Method != verdict.MethodHeapFloor || !strings.Contains(tr.Reason, want) {
		t.Errorf("%s: %s; want %s naming %q", tr.Method, tr.Reason, verdict.MethodHeapFloor, want)
	}
}
