package harness

import (
	"testing"

	"github.com/memprism/memprism/results"
)

func TestJudgeOverload(t *testing.T) {
	run := func(over bool) results.Run {
		return results.Run{Overloaded: over, Metrics: map[string]float64{results.OfferedRate: 1000, results.AchievedRate: 500}}
	}
	sc := &results.Scenario{Variants: []results.Variant{
		{Name: "ok", Runs: []results.Run{run(false), run(false)}},
		{Name: "over", Runs: []results.Run{run(false), run(true)}},
	}}
	for i := range sc.Variants {
		sc.Variants[i].Summary = summarize(&sc.Variants[i])
	}
	for _, tc := range []struct {
		name    string
		metric  string
		variant string
		give    string
		want    string
	}{
		{"latency target on an overloaded variant", results.LatencyP95Seconds, "over", results.Pass, results.Fail},
		{"throughput target on an overloaded variant", results.OpsPerSec, "over", results.Pass, results.Fail},
		{"a fail stays a fail", results.LatencyP95Seconds, "over", results.Fail, results.Fail},
		{"inconclusive on an overloaded variant fails", results.AchievedRate, "over", results.Inconclusive, results.Fail},
		{"inconclusive without overload stays", results.AchievedRate, "ok", results.Inconclusive, results.Inconclusive},
		{"memory target is not about load", results.PeakHeapBytes, "over", results.Pass, results.Pass},
		{"variant that kept up", results.LatencyP95Seconds, "ok", results.Pass, results.Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets := []results.Target{{Metric: tc.metric, Results: []results.TargetResult{{Variant: tc.variant, Verdict: tc.give}}}}
			judgeOverload(sc, targets)
			if got := targets[0].Results[0]; got.Verdict != tc.want {
				t.Errorf("verdict %s (%s), want %s", got.Verdict, got.Reason, tc.want)
			}
		})
	}
}
