package harness

import (
	"fmt"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/verdict"
)

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

// unreported reports whether the named variant of sc finished runs yet none
// of them reported metric (a snapshot label the workload never takes, an own
// metric of another variant), as opposed to having too few runs.
func unreported(sc *results.Scenario, variant, metric string) bool {
	v := sc.VariantByName(variant)
	if v == nil || len(results.RunValues(v, metric)) > 0 {
		return false
	}
	for _, r := range v.Runs {
		if !r.Failed() {
			return true
		}
	}
	return false
}

// judgeTargets evaluates a scenario's targets over its variants' runs with
// package verdict's rules, and sets each result's outcome from the target's
// expectation (a negative control passes when its claim is refuted).
func judgeTargets(sc *scenarios.Scenario, res *results.Scenario) []results.Target {
	out := make([]results.Target, 0, len(sc.Targets))
	for _, t := range sc.Targets {
		rt := results.Target{Metric: t.Metric, Max: t.Max, Min: t.Min, Expect: t.Expect, Results: []results.TargetResult{}}
		base := values(res, sc.Baseline, t.Metric)
		for _, v := range t.Variants {
			cand := values(res, v, t.Metric)
			var tr results.TargetResult
			switch {
			case t.Reduction != nil:
				r := float64(*t.Reduction)
				rt.Reduction = &r
				tr = verdict.JudgeReduction(base, cand, r)
			case t.Increase != nil:
				r := float64(*t.Increase)
				rt.Increase = &r
				tr = verdict.JudgeIncrease(base, cand, r)
			default:
				metric := t.Metric
				tr = verdict.JudgeBoundFormat(cand, t.Max, t.Min, func(v float64) string { return results.FormatMetric(metric, v) })
			}
			tr.Variant = v
			sides := []string{v} // a bound reads the variant alone
			if t.Reduction != nil || t.Increase != nil {
				sides = append(sides, sc.Baseline)
			}
			if len(sides) == 2 {
				judgeFloor(res, sc.Baseline, v, t.Metric, &tr)
			}
			for _, side := range sides {
				if unreported(res, side, t.Metric) {
					tr.Verdict, tr.RunsNeeded, tr.Method = results.Inconclusive, 0, verdict.MethodUnreported
					tr.Reason = fmt.Sprintf("no successful run of %s reported %s: this workload kind or variant does not produce it, so more runs would not decide it", side, t.Metric)
					break
				}
			}
			results.ApplyExpect(rt, &tr)
			rt.Results = append(rt.Results, tr)
		}
		out = append(out, rt)
	}
	return out
}

// judgeFloor makes a relative verdict on a metric the GC's heap goal sets
// (metric.FloorBound) inconclusive where the runtime's minimum heap goal,
// not the code, decided it: when the baseline's goal sat at the floor for
// most of its runs (the median heap_goal_floor_fraction reaching
// metric.FloorDecidedFraction), its figure is the runtime's, so neither a
// pass nor a fail says anything of the code; when only the candidate's did,
// a fail may be the floor holding it up (it cannot go lower), while a pass
// stands (the code cut at least that much). Runs without the fraction
// (reports from before it existed) are judged as before.
func judgeFloor(res *results.Scenario, baseline, variant, name string, tr *results.TargetResult) {
	if !metric.FloorBound(name) || tr.Method == verdict.MethodNone {
		return // not a floor-set figure, or undecidable anyway (too few runs, a baseline <= 0)
	}
	floored := func(side string) (float64, bool) {
		xs := values(res, side, metric.HeapGoalFloorFraction)
		if len(xs) == 0 {
			return 0, false
		}
		m := results.Summarize(xs).Median
		return m, m >= metric.FloorDecidedFraction
	}
	side := baseline
	frac, ok := floored(baseline)
	if !ok && tr.Verdict == results.Fail {
		side = variant
		frac, ok = floored(variant)
	}
	if !ok {
		return
	}
	measured := ""
	if tr.HasInterval() {
		would := "a " + tr.Verdict // a pass, a fail
		if tr.Verdict == results.Inconclusive {
			would = "undecided, and more runs would not lift the floor"
		}
		measured = fmt.Sprintf(" (it measured %s, which would have been %s)",
			results.FormatChangeCI(-tr.Reduction, -tr.ReductionCIHigh, -tr.ReductionCILow), would)
	}
	floor := "4 MiB x GOGC/100"
	if g := res.Run.GOGC; g > 0 {
		floor = fmt.Sprintf("%g MiB", float64(metric.MinimumHeapGoalBytes>>20)*float64(g)/100)
		if g != 100 {
			floor += fmt.Sprintf(" at GOGC=%d", g)
		}
	}
	tr.Reason = fmt.Sprintf("floor-decided: %s's GC heap goal sat at the runtime's minimum (%s) in %.0f%% of its heap samples (median of its runs), so that floor, not the code, set its %s%s; size the work so the heap goal rises above the floor, or judge a figure the floor does not set (a snapshot's live_heap_growth_bytes, bytes_per_op, allocs_per_op)",
		side, floor, 100*frac, name, measured)
	tr.Verdict, tr.Method, tr.RunsNeeded = results.Inconclusive, verdict.MethodHeapFloor, 0
}

// judgeLeak combines the per-run leak verdicts of a variant. Runs that could
// not judge (too few GC cycles) do not vote: the verdict is the majority of
// the judged runs, and "not judged" (Inconclusive) when fewer than half the
// runs were judged. The figures (growth, slope, p) are the medians over the
// judged runs, the same ones every renderer and the recommendation show.
// With judge, the leak check decides: Verdict is pass when the finding
// matches expectLeak, fail when not, inconclusive when not judged; without,
// Verdict is "info".
func judgeLeak(threshold int64, leaks []results.Leak, judge, expectLeak bool) *results.Leak {
	if len(leaks) == 0 {
		return nil
	}
	agg := results.Leak{Severity: "none", ThresholdBytes: threshold, Runs: len(leaks), PValue: 1}
	var judged []results.Leak
	for _, l := range leaks {
		if !l.Inconclusive {
			judged = append(judged, l)
		}
	}
	agg.RunsJudged = len(judged)
	var growth, slope, ps, gr, gslope, gps []float64
	heapRuns, gorRuns := 0, 0
	for _, l := range judged {
		if l.Detected {
			agg.RunsDetected++
		}
		if l.HeapLeak {
			heapRuns++
		}
		if l.GoroutineLeak {
			gorRuns++
		}
		gslope = append(gslope, l.GoroutineSlopePerSec)
		gps = append(gps, l.GoroutinePValue)
		growth = append(growth, l.GrowthBytes)
		slope = append(slope, l.SlopeBytesPerSec)
		ps = append(ps, l.PValue)
	}
	for _, l := range leaks {
		gr = append(gr, l.GoroutineGrowth)
	}
	agg.GoroutineGrowth = results.Summarize(gr).Median
	agg.Inconclusive = len(judged) == 0 || 2*len(judged) < len(leaks)
	if len(judged) > 0 {
		agg.GrowthBytes = results.Summarize(growth).Median
		agg.SlopeBytesPerSec = results.Summarize(slope).Median
		agg.PValue = results.Summarize(ps).Median
	}
	switch {
	case agg.Inconclusive:
		agg.Reason = fmt.Sprintf("not judged: only %d of %d runs had enough GC cycles in their steady state (at least half needed)", len(judged), len(leaks))
		for _, l := range leaks {
			if l.Inconclusive && l.Reason != "" {
				agg.Reason += "; " + l.Reason
				break
			}
		}
	default:
		agg.Detected = 2*agg.RunsDetected > len(judged)
		agg.Reason = fmt.Sprintf("%d of %d judged runs found a leak", agg.RunsDetected, len(judged))
		if skipped := len(leaks) - len(judged); skipped > 0 {
			agg.Reason += fmt.Sprintf(" (%d not judged: too few GC cycles)", skipped)
		}
	}
	if len(judged) > 0 {
		// Which series leaked, by majority as Detected; a run without the
		// flags (an older worker) counts as a heap leak when it found one.
		agg.GoroutineLeak = agg.Detected && 2*gorRuns > len(judged)
		agg.HeapLeak = agg.Detected && (2*heapRuns > len(judged) || !agg.GoroutineLeak)
		agg.GoroutineSlopePerSec = results.Summarize(gslope).Median
		agg.GoroutinePValue = results.Summarize(gps).Median
	}
	if agg.Detected {
		agg.Severity = "medium"
		if agg.SlopeBytesPerSec > 1<<20 {
			agg.Severity = "high"
		}
	}
	switch {
	case !judge:
		agg.Verdict = "info"
	case agg.Inconclusive:
		agg.Verdict = results.Inconclusive
	case agg.Detected == expectLeak:
		agg.Verdict = results.Pass
	default:
		agg.Verdict = results.Fail
	}
	return &agg
}

// leakRecommendation is the advice for a variant whose leak verdict found a
// leak, quoting the verdict's own figures.
func leakRecommendation(variant string, l *results.Leak) string {
	return fmt.Sprintf("%s: The live heap keeps growing after GC: find what retains memory (caches without bounds, appends to long-lived slices, maps never pruned). "+
		"Evidence: post-GC live heap slope %s/s (p=%.3g), growth %s, severity %s; %s.",
		variant, results.FormatBytes(l.SlopeBytesPerSec), l.PValue, results.FormatBytes(l.GrowthBytes), l.Severity, l.Reason)
}

// scenarioVerdict is error when a variant could not run; fail when a target's
// outcome is fail or a judged leak check failed; inconclusive when nothing
// failed but a target or a judged leak check was inconclusive; else pass.
// Several targets must all pass: an intersection-union test, no correction.
func scenarioVerdict(sc *results.Scenario) string {
	failed, inconclusive := false, false
	for _, v := range sc.Variants {
		if v.Error != "" {
			return results.Error
		}
		for _, r := range v.Runs {
			if r.Error != "" {
				return results.Error
			}
		}
		if !sc.JudgeLeaks {
			continue
		}
		switch {
		case v.Leak == nil && v.ExpectLeak:
			failed = true
		case v.Leak == nil:
		case v.Leak.Verdict == results.Fail:
			failed = true
		case v.Leak.Verdict == results.Inconclusive:
			inconclusive = true
		}
	}
	for _, t := range sc.Targets {
		for _, r := range t.Results {
			switch r.Outcome {
			case results.Pass:
			case results.Inconclusive:
				inconclusive = true
			default:
				failed = true
			}
		}
	}
	switch {
	case failed:
		return results.Fail
	case inconclusive:
		return results.Inconclusive
	}
	return results.Pass
}
