package harness

import (
	"github.com/memprism/memprism/results"
)

// judgeOverload turns a target result that would pass, or could not be
// decided, into a fail when the target is on a latency or throughput metric
// and runs of the variant were overloaded: the system fell behind the
// offered rate, which refutes a latency or throughput claim at that rate
// however few the runs; their figures describe a backlog. A fail stands.
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
			if n, _ := v.OverloadedRuns(); n == 0 || tr.Verdict == results.Fail {
				continue
			}
			was := "would pass"
			if tr.Verdict == results.Inconclusive {
				was = "undecided by the statistics"
			}
			tr.Verdict = results.Fail
			tr.Reason = was + ", but " + results.OverloadNote(v) + ": the figures describe a backlog, not the system at the offered rate"
			results.ApplyExpect(*t, tr)
		}
	}
}
