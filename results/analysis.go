package results

import "slices"

// KeyMetrics are the metrics summary.md, gha.json and the charts show for every
// scenario besides its targeted ones (those present in the report).
var KeyMetrics = []string{PeakHeapBytes, PeakRSSBytes, FinalHeapBytes, BytesPerOp, AllocsPerOp, GCCycles, OpsPerSec, LatencyP95Seconds}

// VariantMetric is one variant's figure for a metric, set against the baseline.
type VariantMetric struct {
	Variant    string       `json:"variant"`
	Summary    Summary      `json:"summary"`
	IsBaseline bool         `json:"is_baseline"`
	Change     float64      `json:"change"`     // median / baseline median - 1
	HasChange  bool         `json:"has_change"` // false for the baseline or a zero baseline median
	Sig        Significance `json:"significance"`
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

// ScenarioMetric sets every variant of s against the baseline for metric:
// median and interval, change, Mann-Whitney p and verdict.
func ScenarioMetric(s *Scenario, metric string) []VariantMetric {
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
		vm := VariantMetric{Variant: v.Name, Summary: MetricSummary(v, metric)}
		switch {
		case base == nil:
			vm.Verdict = ""
		case v.Name == s.Baseline:
			vm.IsBaseline = true
			vm.Verdict = "baseline"
		default:
			if baseSum.N > 0 && vm.Summary.N > 0 && baseSum.Median != 0 {
				vm.Change = vm.Summary.Median/baseSum.Median - 1
				vm.HasChange = true
			}
			vm.Sig = Compare(baseVals, RunValues(v, metric))
			vm.Verdict = direction(info, vm.Sig, vm.Summary.Median-baseSum.Median)
		}
		if tr := s.targetResult(metric, v.Name); tr != nil {
			vm.Verdict = tr.Verdict
		}
		out = append(out, vm)
	}
	return out
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

func (s *Scenario) targetResult(metric, variant string) *TargetResult {
	for i := range s.Targets {
		t := &s.Targets[i]
		if t.Metric != metric {
			continue
		}
		for j := range t.Results {
			if t.Results[j].Variant == variant {
				return &t.Results[j]
			}
		}
	}
	return nil
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

// Describe says what a target asks for, such as "≥ 33% below naive".
func (t Target) Describe(baseline string) string {
	var parts []string
	if t.Reduction != nil {
		parts = append(parts, "≥ "+trimPct(*t.Reduction)+" below "+baseline)
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
