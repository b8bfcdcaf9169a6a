package results

import (
	"fmt"

	"github.com/memprism/memprism/verdict"
)

// Relative reports whether t is judged on the ratio to the baseline
// (reduction or increase) rather than on bounds.
func (t Target) Relative() bool { return t.Reduction != nil || t.Increase != nil }

// TargetEstimate is a target result's headline: for a relative target the
// change variant/baseline with its interval, "-38.2% [-41.0%, -35.1%]"; for
// bounds the variant's median with its interval, "12.1 ms [11.8 ms, 12.6 ms]".
// Without an interval only the estimate is shown.
func TargetEstimate(t Target, r TargetResult) string {
	if r.N == 0 && r.Method == "" && (r.Median != 0 || r.BaselineMedian != 0) {
		// A report written before intervals were stored.
		if t.Relative() {
			return FormatDelta(-r.Reduction)
		}
		return FormatMetric(t.Metric, r.Median)
	}
	if r.N == 0 {
		return NoData
	}
	if t.Relative() {
		if r.BaselineN == 0 || r.Method == verdict.MethodNone {
			return NoData // nothing was estimated: too few runs, or a baseline <= 0
		}
		if !r.HasInterval() {
			return FormatDelta(-r.Reduction)
		}
		return FormatChangeCI(-r.Reduction, -r.ReductionCIHigh, -r.ReductionCILow)
	}
	if !r.HasInterval() {
		return FormatMetric(t.Metric, r.Median)
	}
	return fmt.Sprintf("%s [%s, %s]", FormatMetric(t.Metric, r.Median), FormatMetric(t.Metric, r.MedianCILow), FormatMetric(t.Metric, r.MedianCIHigh))
}

// TargetOutcome is what a target result means for the scenario, spelled for
// people: the verdict, and for a negative control (expect: fail) the
// outcome with the verdict it came from, "pass (claim refuted)".
func TargetOutcome(t Target, r TargetResult) string {
	if t.Expect != Fail {
		return r.Verdict
	}
	if r.Outcome == "" {
		ApplyExpect(t, &r)
	}
	switch r.Verdict {
	case Fail:
		return r.Outcome + " (claim refuted, as expected)"
	case Pass:
		return r.Outcome + " (negative control held)"
	}
	return r.Outcome
}

// ApplyExpect sets r's Outcome from its Verdict and the target's
// expectation: a negative control passes when the claim is refuted, fails
// when it holds, and stays inconclusive otherwise.
func ApplyExpect(t Target, r *TargetResult) {
	r.Outcome = r.Verdict
	if t.Expect != Fail {
		return
	}
	switch r.Verdict {
	case Fail:
		r.Outcome = Pass
	case Pass:
		r.Outcome = Fail
	}
}
