package verdict

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/montanaflynn/stats"
)

// Verdicts of a target.
const (
	Pass         = "pass"
	Fail         = "fail"
	Inconclusive = "inconclusive"
)

// Methods name how a TargetResult was decided.
const (
	MethodMoses    = "hodges-lehmann/moses" // interval of the ratio, inverted Mann-Whitney
	MethodSignTest = "sign-test"            // one side constant: the other side's median interval
	MethodExact    = "exact"                // both sides (or the one sample) constant
	MethodMedianCI = "median-ci"            // a max/min bound on the interval of the median
	MethodNone     = "none"                 // not decided: too few runs or an invalid baseline
	// MethodUnreported: not decided because the runs finished but none
	// reported the metric (set by the caller that knows the runs).
	MethodUnreported = "unreported"
	// MethodHeapFloor: not decided because the runtime's minimum heap goal,
	// not the code, set the figures compared (set by the caller that knows
	// the runs' heap_goal_floor_fraction).
	MethodHeapFloor = "heap-floor"
)

// MinRuns is the fewest runs a side (after dropping failed runs and
// non-finite values) a verdict is ever drawn from: with fewer, no interval
// reaches 95%.
const MinRuns = 4

// RelTol is the relative tolerance of exact comparisons of constant samples,
// so that 100 -> 67 meets a 33% reduction despite float rounding.
const RelTol = 1e-9

// maxRunsNeeded caps the planning hint; beyond it the hint says "more than".
const maxRunsNeeded = 10000

// TargetResult is a target judged for one variant. For relative targets the
// ratio variant/baseline is reported as a reduction, 1 - ratio (negative for
// an increase): the change shown to people is -Reduction with the interval
// [-ReductionCIHigh, -ReductionCILow].
type TargetResult struct {
	Variant        string  `json:"variant"`
	BaselineMedian float64 `json:"baseline_median"`
	Median         float64 `json:"median"`
	// Reduction is 1 - the Hodges-Lehmann estimate of variant/baseline.
	Reduction float64 `json:"reduction"`
	// ReductionCILow and ReductionCIHigh bound Reduction at Confidence.
	ReductionCILow  float64 `json:"reduction_ci_low"`
	ReductionCIHigh float64 `json:"reduction_ci_high"`
	// MedianCILow and MedianCIHigh are the interval of the variant's median
	// that a max/min bound was judged on.
	MedianCILow  float64 `json:"median_ci_low,omitempty"`
	MedianCIHigh float64 `json:"median_ci_high,omitempty"`
	// Confidence is the actual two-sided coverage of the interval (>= 0.95;
	// 1 for exact comparisons, 0 when no interval could be formed).
	Confidence float64 `json:"confidence"`
	// N and BaselineN are the runs counted on each side.
	N         int    `json:"n"`
	BaselineN int    `json:"baseline_n,omitempty"`
	Method    string `json:"method"`
	Verdict   string `json:"verdict"` // pass, fail or inconclusive
	// Outcome is what the result means for the scenario: Verdict, or for a
	// negative control (expect: fail) pass when the claim was refuted and
	// fail when it held.
	Outcome string `json:"outcome,omitempty"`
	// RunsNeeded is, for an inconclusive verdict, a planning estimate of the
	// runs a side likely to decide it (0 when none can be given).
	RunsNeeded int    `json:"runs_needed,omitempty"`
	Reason     string `json:"reason"`
}

// HasInterval reports whether r carries an interval of the ratio.
func (r TargetResult) HasInterval() bool { return r.Confidence > 0 }

// JudgeReduction decides whether cand is at least reduction (0..1) below base.
func JudgeReduction(base, cand []float64, reduction float64) TargetResult {
	return judgeRatio(base, cand, 1-reduction, true)
}

// JudgeIncrease decides whether cand is at least increase (> 0) above base,
// for higher-is-better metrics: the mirror of JudgeReduction.
func JudgeIncrease(base, cand []float64, increase float64) TargetResult {
	return judgeRatio(base, cand, 1+increase, false)
}

// judgeRatio judges the ratio cand/base against line: at or below it for a
// reduction (lower), at or above it for an increase.
func judgeRatio(base, cand []float64, line float64, lower bool) TargetResult {
	b, c := Finite(base), Finite(cand)
	tr := TargetResult{N: len(c), BaselineN: len(b), Method: MethodNone}
	if len(b) > 0 {
		tr.BaselineMedian = MedianInterval(b).Estimate
	}
	if len(c) > 0 {
		tr.Median = MedianInterval(c).Estimate
	}
	goal := fmt.Sprintf("the target line %s", pct(line-1))
	switch {
	case len(b) < MinRuns || len(c) < MinRuns:
		tr.Verdict = Inconclusive
		tr.RunsNeeded = max(MinRuns, runsNeeded(b, c, line, false))
		tr.Reason = fmt.Sprintf("too few runs: baseline %d, variant %d (counted after dropping failed runs and non-finite values); need >= %d a side", len(b), len(c), MinRuns)
		return finish(tr)
	case slices.Min(b) <= 0:
		tr.Verdict = Inconclusive
		tr.Reason = fmt.Sprintf("the baseline has a value <= 0 (min %g): a ratio to it means nothing; judge this metric with max/min bounds instead", slices.Min(b))
		return finish(tr)
	}
	bConst, cConst := constant(b), constant(c)
	var iv Interval
	switch {
	case bConst && cConst:
		r := c[0] / b[0]
		iv = Interval{Estimate: r, Low: r, High: r, Confidence: 1}
		tr.Method = MethodExact
		tr.setRatio(iv)
		ok := r <= line*(1+RelTol)
		if !lower {
			ok = r >= line*(1-RelTol)
		}
		tr.Verdict = Fail
		if ok {
			tr.Verdict = Pass
		}
		tr.Reason = fmt.Sprintf("exact: every run gave the same value (%g vs %g), change %s against %s", c[0], b[0], pct(r-1), goal)
		return finish(tr)
	case cConst:
		mi := MedianInterval(b)
		iv = Interval{Estimate: c[0] / mi.Estimate, Confidence: mi.Confidence}
		if mi.OK() {
			iv.Low, iv.High = math.Min(c[0]/mi.High, c[0]/mi.Low), math.Max(c[0]/mi.High, c[0]/mi.Low)
		}
		tr.Method = MethodSignTest
	case bConst:
		mi := MedianInterval(c)
		iv = Interval{Estimate: mi.Estimate / b[0], Low: mi.Low / b[0], High: mi.High / b[0], Confidence: mi.Confidence}
		tr.Method = MethodSignTest
	default:
		iv = RobustRatioInterval(b, c)
		tr.Method = MethodMoses
	}
	tr.setRatio(iv)
	desc := fmt.Sprintf("change %s", pct(iv.Estimate-1))
	if !iv.OK() {
		tr.Verdict = Inconclusive
		tr.RunsNeeded = max(MinRuns, runsNeeded(b, c, line, bConst || cConst))
		if bConst || cConst {
			tr.RunsNeeded = max(6, tr.RunsNeeded)
		}
		tr.Reason = fmt.Sprintf("%s, but the runs (%d+%d, with ties) are too few for a 95%% interval", desc, len(b), len(c))
		if cConst {
			tr.Reason = fmt.Sprintf("%s, but the variant is constant and the baseline's %d runs are too few for a 95%% sign-test interval of its median (need >= 6)", desc, len(b))
		} else if bConst {
			tr.Reason = fmt.Sprintf("%s, but the baseline is constant and the variant's %d runs are too few for a 95%% sign-test interval of its median (need >= 6)", desc, len(c))
		}
		return finish(tr)
	}
	desc += fmt.Sprintf(" [%s, %s] (%s interval, %s)", pct(iv.Low-1), pct(iv.High-1), pctConf(iv.Confidence), tr.Method)
	pass, fail := iv.High <= line, iv.Low > line
	if !lower {
		pass, fail = iv.Low >= line, iv.High < line
	}
	side := "below"
	if !lower {
		side = "above"
	}
	switch {
	case pass:
		tr.Verdict = Pass
		tr.Reason = fmt.Sprintf("%s: the whole interval is at or %s %s", desc, side, goal)
	case fail:
		tr.Verdict = Fail
		tr.Reason = fmt.Sprintf("%s: the whole interval falls short of %s", desc, goal)
	default:
		tr.Verdict = Inconclusive
		tr.RunsNeeded = runsNeeded(b, c, line, bConst || cConst)
		if tr.RunsNeeded > 0 {
			// The estimate is asymptotic; at the runs already made the
			// interval did not clear the line, so at least one more a side.
			tr.RunsNeeded = max(tr.RunsNeeded, min(len(b), len(c))+1)
		}
		tr.Reason = fmt.Sprintf("%s: the interval straddles %s", desc, goal)
	}
	return finish(tr)
}

// setRatio stores a ratio interval as a reduction.
func (tr *TargetResult) setRatio(iv Interval) {
	tr.Reduction = 1 - iv.Estimate
	tr.Confidence = iv.Confidence
	if iv.OK() {
		tr.ReductionCILow, tr.ReductionCIHigh = 1-iv.High, 1-iv.Low
	}
}

// finish adds the planning hint to an inconclusive reason and sets Outcome.
func finish(tr TargetResult) TargetResult {
	tr.Outcome = tr.Verdict
	if tr.Verdict != Inconclusive {
		tr.RunsNeeded = 0
		return tr
	}
	switch {
	case tr.RunsNeeded > maxRunsNeeded:
		tr.Reason += fmt.Sprintf("; the estimate sits so close to the line that even %d runs would likely not decide it", maxRunsNeeded)
	case tr.RunsNeeded > 0:
		side := " a side"
		if tr.BaselineN == 0 {
			side = ""
		}
		tr.Reason += fmt.Sprintf("; planning: about %d runs%s would likely decide it, judging by the observed spread (plan them up front; re-running until it passes is not a test)", tr.RunsNeeded, side)
	}
	return tr
}

// runsNeeded estimates the runs a side for a 95% interval to clear line with
// 80% probability, were the true ratio the observed one: the Hodges-Lehmann
// shift of logs has variance about (pi/3) s^2 (1/m + 1/n) for normal noise of
// log-scale s; a sign-test median (oneSided: one side constant) about
// (pi/2) s^2 / n. It returns 0 when the spread cannot be estimated, and
// maxRunsNeeded+1 when the estimate is on the line.
func runsNeeded(b, c []float64, line float64, oneSided bool) int {
	lb, okb := logs(b)
	lc, okc := logs(c)
	if !okb || !okc || len(lb) == 0 || len(lc) == 0 || len(lb)+len(lc) < 3 || line <= 0 {
		return 0
	}
	sd := pooledSD(lb, lc)
	if oneSided {
		sd = math.Max(stddev(lb), stddev(lc))
	}
	if sd == 0 {
		return 0
	}
	est := median(lc) - median(lb)
	delta := math.Abs(est - math.Log(line))
	if delta < 1e-12 {
		return maxRunsNeeded + 1
	}
	const zz = (z975 + 0.8416212335729143) * (z975 + 0.8416212335729143)
	var n float64
	if oneSided {
		n = math.Pi / 2 * sd * sd * zz / (delta * delta)
	} else {
		n = math.Pi / 3 * 2 * sd * sd * zz / (delta * delta)
	}
	if n > maxRunsNeeded {
		return maxRunsNeeded + 1
	}
	return max(int(math.Ceil(n)), MinRuns)
}

// JudgeBound decides whether the median of cand lies at or below max and/or
// at or above min (either may be nil), on the 95% interval of the median.
func JudgeBound(cand []float64, maxV, minV *float64) TargetResult {
	return JudgeBoundFormat(cand, maxV, minV, nil)
}

// JudgeBoundFormat is JudgeBound with the values in its reason written by
// format (such as "12.1 ms"); nil writes plain numbers.
func JudgeBoundFormat(cand []float64, maxV, minV *float64, format func(float64) string) TargetResult {
	if format == nil {
		format = func(v float64) string { return fmt.Sprintf("%.4g", v) }
	}
	c := Finite(cand)
	tr := TargetResult{N: len(c), Method: MethodNone}
	if len(c) > 0 {
		tr.Median = MedianInterval(c).Estimate
	}
	var bounds []string
	if maxV != nil {
		bounds = append(bounds, "max "+format(*maxV))
	}
	if minV != nil {
		bounds = append(bounds, "min "+format(*minV))
	}
	what := strings.Join(bounds, " and ")
	if len(c) < MinRuns {
		tr.Verdict = Inconclusive
		tr.RunsNeeded = MinRuns
		tr.Reason = fmt.Sprintf("too few runs: %d (counted after dropping failed runs and non-finite values); need >= %d", len(c), MinRuns)
		return finish(tr)
	}
	var iv Interval
	if constant(c) {
		iv = Interval{Estimate: c[0], Low: c[0], High: c[0], Confidence: 1}
		tr.Method = MethodExact
	} else {
		iv = MedianInterval(c)
		tr.Method = MethodMedianCI
	}
	tr.Confidence = iv.Confidence
	if !iv.OK() {
		tr.Verdict = Inconclusive
		tr.RunsNeeded = max(6, boundRunsNeeded(c, maxV, minV))
		tr.Reason = fmt.Sprintf("median %s, but %d runs are too few for a 95%% interval of the median (need >= 6)", format(iv.Estimate), len(c))
		return finish(tr)
	}
	tr.MedianCILow, tr.MedianCIHigh = iv.Low, iv.High
	tol := func(v float64) float64 { return RelTol * math.Abs(v) }
	inside, outside := true, false
	if maxV != nil {
		inside = inside && iv.High <= *maxV+tol(*maxV)
		outside = outside || iv.Low > *maxV+tol(*maxV)
	}
	if minV != nil {
		inside = inside && iv.Low >= *minV-tol(*minV)
		outside = outside || iv.High < *minV-tol(*minV)
	}
	desc := fmt.Sprintf("median %s [%s, %s] (%s interval, %s)", format(iv.Estimate), format(iv.Low), format(iv.High), pctConf(iv.Confidence), tr.Method)
	switch {
	case inside:
		tr.Verdict, tr.Reason = Pass, fmt.Sprintf("%s: the whole interval is within %s", desc, what)
	case outside:
		tr.Verdict, tr.Reason = Fail, fmt.Sprintf("%s: the whole interval is outside %s", desc, what)
	default:
		tr.Verdict, tr.Reason = Inconclusive, fmt.Sprintf("%s: the interval straddles %s", desc, what)
		if tr.RunsNeeded = boundRunsNeeded(c, maxV, minV); tr.RunsNeeded > 0 {
			tr.RunsNeeded = max(tr.RunsNeeded, len(c)+1)
		}
	}
	return finish(tr)
}

// boundRunsNeeded is runsNeeded for a bound: the median's distance to the
// nearest bound against its spread.
func boundRunsNeeded(c []float64, maxV, minV *float64) int {
	sd := stddev(c)
	if sd == 0 {
		return 0
	}
	m := median(c)
	delta := math.Inf(1)
	for _, b := range []*float64{maxV, minV} {
		if b != nil {
			delta = math.Min(delta, math.Abs(m-*b))
		}
	}
	if delta < 1e-12*math.Max(1, math.Abs(m)) {
		return maxRunsNeeded + 1
	}
	const zz = (z975 + 0.8416212335729143) * (z975 + 0.8416212335729143)
	n := math.Pi / 2 * sd * sd * zz / (delta * delta)
	if n > maxRunsNeeded {
		return maxRunsNeeded + 1
	}
	return max(int(math.Ceil(n)), MinRuns)
}

// Finite returns a copy of the finite values of xs.
func Finite(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

func constant(xs []float64) bool {
	for _, x := range xs[1:] {
		if x != xs[0] {
			return false
		}
	}
	return len(xs) > 0
}

func logs(xs []float64) ([]float64, bool) {
	out := make([]float64, len(xs))
	for i, x := range xs {
		if x <= 0 {
			return nil, false
		}
		out[i] = math.Log(x)
	}
	return out, true
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return medianSorted(s, false)
}

// mean is the arithmetic mean of xs (NaN when empty).
func mean(xs []float64) float64 {
	m, _ := stats.Mean(xs)
	return m
}

func stddev(xs []float64) float64 { return math.Sqrt(variance(xs)) }

// variance is the sample variance of xs (0 below two values).
func variance(xs []float64) float64 {
	v, err := stats.SampleVariance(xs)
	if err != nil {
		return 0
	}
	return v
}

// pooledSD is the pooled sample standard deviation of a and b.
func pooledSD(a, b []float64) float64 {
	df, ss := 0, 0.0
	for _, xs := range [][]float64{a, b} {
		if len(xs) < 2 {
			continue
		}
		sd := stddev(xs)
		ss += sd * sd * float64(len(xs)-1)
		df += len(xs) - 1
	}
	if df == 0 {
		return 0
	}
	return math.Sqrt(ss / float64(df))
}

// pct formats a fraction as a signed percentage with one decimal.
func pct(f float64) string { return fmt.Sprintf("%+.1f%%", 100*f) }

// pctConf formats a confidence level, "95.2%".
func pctConf(c float64) string {
	if c >= 1 {
		return "exact"
	}
	return fmt.Sprintf("%.1f%%", 100*math.Floor(c*1000)/1000)
}
