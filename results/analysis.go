package results

import (
	"math"
	"slices"

	"github.com/memprism/memprism/verdict"
)

// KeyMetrics are the metrics summary.md, gha.json and the charts show for every
// scenario besides its targeted ones (those present in the report).
var KeyMetrics = []string{PeakHeapBytes, PeakRSSBytes, FinalHeapBytes, BytesPerOp, AllocsPerOp, GCCycles, OpsPerSec, LatencyP95Seconds}

// VariantMetric is one variant's figure for a metric, set against the baseline.
type VariantMetric struct {
	Metric     string  `json:"metric"`
	Variant    string  `json:"variant"`
	Summary    Summary `json:"summary"`
	IsBaseline bool    `json:"is_baseline"`
	// Change is the Hodges-Lehmann estimate of variant/baseline - 1 (for a
	// baseline with values <= 0: the change of the median relative to
	// |baseline median|).
	Change    float64 `json:"change"`
	HasChange bool    `json:"has_change"` // false for the baseline or a zero baseline median
	// ChangeCILow and ChangeCIHigh bound Change at ChangeConfidence (the
	// interval verdict.RobustRatioInterval gives); ChangeConfidence is 0 when
	// the runs are too few (< 4 a side) or the baseline not positive.
	ChangeCILow      float64      `json:"change_ci_low,omitempty"`
	ChangeCIHigh     float64      `json:"change_ci_high,omitempty"`
	ChangeConfidence float64      `json:"change_confidence,omitempty"`
	Sig              Significance `json:"significance"`
	// Verdict is the target's verdict when a target covers this variant,
	// else "better", "worse", "~" (not significant) or "baseline".
	Verdict string `json:"verdict"`
}

// Present reports whether metric was measured for any variant of s.
func (s *Scenario) Present(metric string) bool {
	for i := range s.Variants {
		if _, ok := s.Variants[i].Summary[metric]; ok {
			return true
		}
		if len(RunValues(&s.Variants[i], metric)) > 0 {
			return true
		}
	}
	return false
}

// VariantByName returns the named variant of s, or nil.
func (s *Scenario) VariantByName(name string) *Variant {
	for i := range s.Variants {
		if s.Variants[i].Name == name {
			return &s.Variants[i]
		}
	}
	return nil
}

// MetricSummary is v's summary of metric: the report's when present, else
// computed from the successful runs.
func MetricSummary(v *Variant, metric string) Summary {
	if s, ok := v.Summary[metric]; ok {
		return s
	}
	return Summarize(RunValues(v, metric))
}

// Analyze computes s.Comparisons: every shown metric of every variant set
// against the baseline. Call it once the targets are judged; renderers then
// read the stored figures.
func Analyze(s *Scenario) {
	s.Comparisons = nil
	for _, m := range s.ShownMetrics() {
		s.Comparisons = append(s.Comparisons, computeScenarioMetric(s, m)...)
	}
}

// ScenarioMetric is every variant of s set against the baseline for metric:
// the stored comparisons when Analyze ran, else computed now (reports
// written before comparisons were stored).
func ScenarioMetric(s *Scenario, metric string) []VariantMetric {
	var out []VariantMetric
	for _, vm := range s.Comparisons {
		if vm.Metric == metric {
			out = append(out, vm)
		}
	}
	if len(out) > 0 {
		return out
	}
	return computeScenarioMetric(s, metric)
}

// computeScenarioMetric sets every variant of s against the baseline for
// metric: median and interval, change with its interval, Mann-Whitney p and
// verdict.
func computeScenarioMetric(s *Scenario, metric string) []VariantMetric {
	info, _ := Metric(metric)
	base := s.VariantByName(s.Baseline)
	var baseVals []float64
	var baseSum Summary
	if base != nil {
		baseVals = RunValues(base, metric)
		baseSum = MetricSummary(base, metric)
	}
	out := make([]VariantMetric, 0, len(s.Variants))
	for i := range s.Variants {
		v := &s.Variants[i]
		vm := VariantMetric{Metric: metric, Variant: v.Name, Summary: MetricSummary(v, metric)}
		switch {
		case base == nil:
			vm.Verdict = ""
		case v.Name == s.Baseline:
			vm.IsBaseline = true
			vm.Verdict = "baseline"
		default:
			vals := RunValues(v, metric)
			vm.setChange(baseVals, vals, baseSum)
			vm.Sig = Compare(baseVals, vals)
			vm.Verdict = direction(info, vm.Sig, vm.Summary.Median-baseSum.Median)
		}
		if t, tr := s.targetResult(metric, v.Name); tr != nil {
			if t.Relative() && tr.BaselineN > 0 && tr.N > 0 && tr.Method != "" {
				// One set of figures: the change the target was judged on.
				vm.Change, vm.HasChange = -tr.Reduction, true
				vm.ChangeCILow, vm.ChangeCIHigh, vm.ChangeConfidence = 0, 0, 0
				if tr.HasInterval() {
					vm.ChangeCILow, vm.ChangeCIHigh, vm.ChangeConfidence = -tr.ReductionCIHigh, -tr.ReductionCILow, tr.Confidence
				}
			}
			vm.Verdict = tr.Verdict
			if t.Expect == Fail {
				vm.Verdict = TargetOutcome(*t, *tr)
			}
		}
		out = append(out, vm)
	}
	return out
}

// setChange sets the change of vals against the baseline's values: the
// Hodges-Lehmann estimate of the ratio with its interval when the baseline
// is positive, else the change of the median relative to |baseline median|.
func (vm *VariantMetric) setChange(base, vals []float64, baseSum Summary) {
	if len(base) == 0 || len(vals) == 0 {
		return
	}
	if slices.Min(base) > 0 {
		iv := verdict.RobustRatioInterval(base, vals)
		vm.Change, vm.HasChange = iv.Estimate-1, true
		if iv.OK() && len(base) >= verdict.MinRuns && len(vals) >= verdict.MinRuns {
			vm.ChangeCILow, vm.ChangeCIHigh, vm.ChangeConfidence = iv.Low-1, iv.High-1, iv.Confidence
		}
		return
	}
	if baseSum.Median != 0 {
		vm.Change, vm.HasChange = (vm.Summary.Median-baseSum.Median)/math.Abs(baseSum.Median), true
	}
}

// HasChangeCI reports whether vm carries an interval of its change.
func (vm VariantMetric) HasChangeCI() bool { return vm.ChangeConfidence > 0 }

// ChangeString is the change with its interval as the headline shows it,
// "-38.2% [-41.0%, -35.1%]"; "?" without a change, "" for the baseline.
func (vm VariantMetric) ChangeString() string {
	switch {
	case vm.IsBaseline:
		return ""
	case !vm.HasChange:
		return "?"
	case !vm.HasChangeCI():
		return FormatDelta(vm.Change)
	}
	return FormatChangeCI(vm.Change, vm.ChangeCILow, vm.ChangeCIHigh)
}

// direction names a significant change "better" or "worse" for the metric's
// direction of improvement, "~" when not significant.
func direction(info MetricInfo, sig Significance, diff float64) string {
	if !sig.Significant() || diff == 0 {
		return "~"
	}
	switch {
	case info.LowerIsBetter && diff < 0, info.HigherIsBetter && diff > 0:
		return "better"
	case info.LowerIsBetter, info.HigherIsBetter:
		return "worse"
	case diff < 0:
		return "lower"
	default:
		return "higher"
	}
}

// targetResult is the first target on metric that covers variant, and its result.
func (s *Scenario) targetResult(metric, variant string) (*Target, *TargetResult) {
	for i := range s.Targets {
		t := &s.Targets[i]
		if t.Metric != metric {
			continue
		}
		for j := range t.Results {
			if t.Results[j].Variant == variant {
				return t, &t.Results[j]
			}
		}
	}
	return nil, nil
}

// ShownMetrics lists the metrics reports show for s: targeted ones first,
// then the key metrics that were measured.
func (s *Scenario) ShownMetrics() []string {
	var out []string
	for _, t := range s.Targets {
		if !slices.Contains(out, t.Metric) {
			out = append(out, t.Metric)
		}
	}
	for _, m := range KeyMetrics {
		if !slices.Contains(out, m) && s.Present(m) {
			out = append(out, m)
		}
	}
	return out
}

// TargetMetric is the metric the compare chart shows: the first target's, or
// peak_heap_bytes when the scenario has no targets.
// TargetMetrics returns the distinct metrics of the scenario's targets in
// order, or peak_heap_bytes when it has none.
func (s *Scenario) TargetMetrics() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range s.Targets {
		if !seen[t.Metric] {
			seen[t.Metric] = true
			out = append(out, t.Metric)
		}
	}
	if len(out) == 0 {
		out = []string{PeakHeapBytes}
	}
	return out
}

// Describe says what a target asks for, such as "≥ 33% below naive", with
// "(expect fail)" for a negative control.
func (t Target) Describe(baseline string) string {
	d := t.describe(baseline)
	if t.Expect == Fail {
		d += " (expect fail)"
	}
	return d
}

func (t Target) describe(baseline string) string {
	var parts []string
	if t.Reduction != nil {
		parts = append(parts, "≥ "+trimPct(*t.Reduction)+" below "+baseline)
	}
	if t.Increase != nil {
		parts = append(parts, "≥ "+trimPct(*t.Increase)+" above "+baseline)
	}
	if t.Max != nil {
		parts = append(parts, "≤ "+FormatMetric(t.Metric, *t.Max))
	}
	if t.Min != nil {
		parts = append(parts, "≥ "+FormatMetric(t.Metric, *t.Min))
	}
	if len(parts) == 0 {
		return "reported"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += ", " + p
	}
	return out
}
