package harness

import (
	"github.com/memprism/memprism/results"
)

// judgeOverload turns a target result that would pass into a fail when the
// target is on a latency or throughput metric and runs of the variant were
// overloaded: their figures describe a backlog, not the system at the
// offered rate. Other verdicts stand.
func judgeOverload(res *results.Scenario, targets []results.Target) {
	for i := range targets {
		t := &targets[i]
		if !results.LoadSensitive(t.Metric) {
			continue
		}
		for j := range t.Results {
			tr := &t.Results[j]
			v := res.VariantByName(tr.Variant)
			if v == nil {
				continue
			}
			if n, _ := v.OverloadedRuns(); n == 0 || tr.Verdict != results.Pass {
				continue
			}
			tr.Verdict = results.Fail
			tr.Reason = "would pass, but " + results.OverloadNote(v) + ": the figures describe a backlog, not the system at the offered rate"
			results.ApplyExpect(*t, tr)
		}
	}
}
