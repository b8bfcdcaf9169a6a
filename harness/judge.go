package harness

import (
	"fmt"

	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
)

// exactMetrics are counts a deterministic workload reproduces exactly; with
// no spread at all in either sample, the comparison is exact and needs no test.
var exactMetrics = map[string]bool{"total_allocs": true, "allocs_per_op": true, "ops": true}

// summarize computes the per-metric summaries of a variant's successful runs.
func summarize(v *results.Variant) map[string]results.Summary {
	out := map[string]results.Summary{}
	for _, r := range v.Runs {
		if r.Error != "" {
			continue
		}
		for k := range r.Metrics {
			if _, done := out[k]; done {
				continue
			}
			if xs := results.RunValues(v, k); len(xs) > 0 {
				out[k] = results.Summarize(xs)
			}
		}
	}
	return out
}

// values returns one metric over the successful runs of the named variant of sc.
func values(sc *results.Scenario, variant, metric string) []float64 {
	if v := sc.VariantByName(variant); v != nil {
		return results.RunValues(v, metric)
	}
	return nil
}

func spreadless(xs []float64) bool {
	if len(xs) < 2 {
		return false
	}
	for _, x := range xs[1:] {
		if x != xs[0] {
			return false
		}
	}
	return true
}

// judgeReduction decides whether variant's median is at least reduction below
// the baseline's, and significantly so.
func judgeReduction(metric, variant string, base, cand []float64, reduction float64) results.TargetResult {
	tr := results.TargetResult{Variant: variant}
	if len(base) == 0 || len(cand) == 0 {
		tr.Verdict = results.Inconclusive
		tr.Reason = fmt.Sprintf("no successful runs to compare (baseline %d, %s %d)", len(base), variant, len(cand))
		tr.PValue = 1
		return tr
	}
	bs, cs := results.Summarize(base), results.Summarize(cand)
	tr.BaselineMedian, tr.Median = bs.Median, cs.Median
	if bs.Median != 0 {
		tr.Reduction = 1 - cs.Median/bs.Median
	}
	sig := results.Compare(base, cand)
	tr.PValue = sig.P
	line := bs.Median * (1 - reduction) // the variant must sit at or below this
	if exactMetrics[metric] && spreadless(base) && spreadless(cand) {
		if tr.Reduction >= reduction {
			tr.Verdict, tr.Reason = results.Pass, fmt.Sprintf("exact: every run reproduced the same count; reduction %.1f%% >= %.1f%%", 100*tr.Reduction, 100*reduction)
		} else {
			tr.Verdict, tr.Reason = results.Fail, fmt.Sprintf("exact: every run reproduced the same count; reduction %.1f%% < %.1f%%", 100*tr.Reduction, 100*reduction)
		}
		return tr
	}
	if !sig.Enough {
		tr.Verdict = results.Inconclusive
		tr.Reason = fmt.Sprintf("too few runs to test significance at alpha %.2f (baseline n=%d, %s n=%d)", results.Alpha, len(base), variant, len(cand))
		return tr
	}
	switch {
	case tr.Reduction >= reduction && sig.Significant() && cs.CIHigh <= line:
		tr.Verdict = results.Pass
		tr.Reason = fmt.Sprintf("reduction %.1f%% >= %.1f%%, significant (p=%.3g), whole interval below the target line", 100*tr.Reduction, 100*reduction, sig.P)
	case tr.Reduction >= reduction && sig.Significant():
		tr.Verdict = results.Inconclusive
		tr.Reason = fmt.Sprintf("median reduction %.1f%% meets %.1f%% but the 95%% interval of the median reaches above the target line", 100*tr.Reduction, 100*reduction)
	case tr.Reduction >= reduction:
		tr.Verdict = results.Inconclusive
		tr.Reason = fmt.Sprintf("median reduction %.1f%% meets %.1f%% but the difference is not significant (p=%.3g >= %.2f)", 100*tr.Reduction, 100*reduction, sig.P, results.Alpha)
	case cs.CILow > line:
		tr.Verdict = results.Fail
		tr.Reason = fmt.Sprintf("reduction %.1f%% < %.1f%%: the whole 95%% interval of the median is above the target line", 100*tr.Reduction, 100*reduction)
	default:
		tr.Verdict = results.Fail
		tr.Reason = fmt.Sprintf("median reduction %.1f%% < %.1f%%", 100*tr.Reduction, 100*reduction)
	}
	return tr
}

// judgeBound decides a max and/or min target on a variant's median.
func judgeBound(variant string, cand []float64, max, min *float64) results.TargetResult {
	tr := results.TargetResult{Variant: variant}
	if len(cand) == 0 {
		tr.Verdict, tr.Reason = results.Inconclusive, "no successful runs"
		return tr
	}
	s := results.Summarize(cand)
	tr.Median = s.Median
	tr.Verdict = results.Pass
	if max != nil && s.Median > *max {
		tr.Verdict, tr.Reason = results.Fail, fmt.Sprintf("median %g > max %g", s.Median, *max)
	}
	if min != nil && s.Median < *min {
		tr.Verdict, tr.Reason = results.Fail, fmt.Sprintf("median %g < min %g", s.Median, *min)
	}
	return tr
}

// judgeTargets evaluates a scenario's targets over its variants' runs.
func judgeTargets(sc *scenarios.Scenario, res *results.Scenario) []results.Target {
	out := make([]results.Target, 0, len(sc.Targets))
	for _, t := range sc.Targets {
		rt := results.Target{Metric: t.Metric, Max: t.Max, Min: t.Min, Results: []results.TargetResult{}}
		variants := t.Variants
		if t.Reduction != nil {
			r := float64(*t.Reduction)
			rt.Reduction = &r
			base := values(res, sc.Baseline, t.Metric)
			for _, v := range variants {
				rt.Results = append(rt.Results, judgeReduction(t.Metric, v, base, values(res, v, t.Metric), r))
			}
		} else {
			for _, v := range variants {
				rt.Results = append(rt.Results, judgeBound(v, values(res, v, t.Metric), t.Max, t.Min))
			}
		}
		out = append(out, rt)
	}
	return out
}

// judgeLeak combines the per-run leak verdicts of a variant: a leak is
// reported when most judged runs found one.
func judgeLeak(threshold int64, leaks []results.Leak) *results.Leak {
	if len(leaks) == 0 {
		return nil
	}
	agg := results.Leak{Severity: "none", ThresholdBytes: threshold, Runs: len(leaks)}
	var growth, slope, ps, gr []float64
	inconclusive := 0
	for _, l := range leaks {
		if l.Detected {
			agg.RunsDetected++
		}
		if l.Inconclusive {
			inconclusive++
		}
		growth = append(growth, l.GrowthBytes)
		slope = append(slope, l.SlopeBytesPerSec)
		ps = append(ps, l.PValue)
		gr = append(gr, l.GoroutineGrowth)
	}
	agg.GrowthBytes = results.Summarize(growth).Median
	agg.SlopeBytesPerSec = results.Summarize(slope).Median
	agg.PValue = results.Summarize(ps).Median
	agg.GoroutineGrowth = results.Summarize(gr).Median
	agg.Detected = 2*agg.RunsDetected > agg.Runs
	agg.Inconclusive = inconclusive == len(leaks)
	if agg.Detected {
		agg.Severity = "medium"
		if agg.SlopeBytesPerSec > 1<<20 {
			agg.Severity = "high"
		}
		agg.Reason = fmt.Sprintf("%d of %d runs found a leak", agg.RunsDetected, agg.Runs)
	} else {
		agg.Reason = fmt.Sprintf("%d of %d runs found a leak", agg.RunsDetected, agg.Runs)
		for _, l := range leaks {
			if l.Reason != "" && !l.Detected && agg.RunsDetected == 0 {
				agg.Reason += "; " + l.Reason
				break
			}
		}
	}
	return &agg
}

// scenarioVerdict is error when a variant could not run, fail when a target
// did not pass or a leak expectation was not met, else pass.
func scenarioVerdict(sc *results.Scenario) string {
	verdict := results.Pass
	for _, v := range sc.Variants {
		if v.Error != "" {
			return results.Error
		}
		for _, r := range v.Runs {
			if r.Error != "" {
				return results.Error
			}
		}
		if v.Leak != nil && v.Leak.Detected != v.ExpectLeak {
			verdict = results.Fail
		}
		if v.ExpectLeak && v.Leak == nil {
			verdict = results.Fail
		}
	}
	for _, t := range sc.Targets {
		for _, r := range t.Results {
			if r.Verdict != results.Pass {
				verdict = results.Fail
			}
		}
	}
	return verdict
}
