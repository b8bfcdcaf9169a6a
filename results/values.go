package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/memprism/memprism/internal/names"
	"github.com/memprism/memprism/internal/safeio"
	"github.com/memprism/memprism/metric"
)

// badValue is a metric value of a run that is not a JSON number a float64
// holds (null, a string such as "NaN", 1e400), kept by Run.UnmarshalJSON so
// that Validate can say where it is.
type badValue struct {
	metric string
	raw    string // the JSON text, cut to 40 bytes
	why    string
}

// UnmarshalJSON decodes a run. A metric value that is not a number (null,
// which encoding/json would read as 0, or a string such as "NaN") or does
// not fit a float64 (1e400) is left out of Metrics and remembered, so that
// Validate refuses the report naming the run and the metric.
func (r *Run) UnmarshalJSON(b []byte) error {
	type plain Run // without the method
	var aux struct {
		*plain
		Metrics map[string]json.RawMessage `json:"metrics"`
	}
	aux.plain = (*plain)(r)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	r.Metrics, r.bad = nil, nil
	if aux.Metrics == nil {
		return nil
	}
	r.Metrics = make(map[string]float64, len(aux.Metrics))
	for name, raw := range aux.Metrics {
		raw = bytes.TrimSpace(raw)
		var why string
		switch {
		case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
			why = "is not a number"
		case raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f':
			why = "is not a number"
		default:
			x, err := strconv.ParseFloat(string(raw), 64)
			if err != nil {
				why = "does not fit a float64 (at most ±1.8e308)"
				break
			}
			r.Metrics[name] = x
			continue
		}
		shown := string(raw)
		if len(shown) > 40 {
			shown = shown[:37] + "..."
		}
		r.bad = append(r.bad, badValue{metric: name, raw: shown, why: why})
	}
	sort.Slice(r.bad, func(i, j int) bool { return r.bad[i].metric < r.bad[j].metric })
	return nil
}

// values checks the figures of a variant's runs, leak-probe runs and
// summary against what each metric can take (metric.Info.Allowed): a
// negative size, count, time or rate, a fraction beyond [0, 1] or a figure
// past what its source can hold did not come from a run. at is the
// variant's place in the report.
func (v *validator) values(at string, s *Scenario, va *Variant) {
	info := func(name string) (metric.Info, bool) {
		if names.CheckMetric(name) != nil {
			return metric.Info{}, false // reported by metricKeys
		}
		return s.MetricInfo(name)
	}
	runs := func(field string, rs []Run) {
		for k := range rs {
			run := &rs[k]
			for _, b := range run.bad {
				v.add("%s %s[%d].metrics.%s: %s %s; allowed: a number", at, field, k, b.metric, safeio.Quote(b.raw), b.why)
			}
			for _, name := range sortedKeys(run.Metrics) {
				m, ok := info(name)
				if !ok {
					continue
				}
				if err := m.CheckValue(run.Metrics[name]); err != nil {
					v.add("%s %s[%d].metrics.%s: %v", at, field, k, name, err)
				}
			}
		}
	}
	runs("runs", va.Runs)
	runs("leak_probe_runs", va.LeakProbeRuns)
	for _, name := range sortedKeys(va.Summary) {
		m, ok := info(name)
		if !ok {
			continue
		}
		v.summaryFigures(at+" summary."+name, m, va.Summary[name])
	}
}

// summaryFigures checks a stored summary of metric m: every figure one m
// can take, and its shape (summaryShape). at names the summary.
func (v *validator) summaryFigures(at string, m metric.Info, sum Summary) {
	for _, f := range []struct {
		field string
		x     float64
	}{{"median", sum.Median}, {"mean", sum.Mean}, {"min", sum.Min}, {"max", sum.Max}, {"ci_low", sum.CILow}, {"ci_high", sum.CIHigh}} {
		if sum.N == 0 && f.x == 0 {
			continue
		}
		if err := m.CheckValue(f.x); err != nil {
			v.add("%s.%s: %v", at, f.field, err)
		}
	}
	if err := summaryShape(sum, m.Allowed()); err != nil {
		v.add("%s: %v", at, err)
	}
}

// evidence checks the figures of a variant's leak verdict and timeline
// against what they can take: p-values in [0, 1], sizes, counts and times
// never negative, nothing past what its source holds.
func (v *validator) evidence(at string, va *Variant) {
	within := func(field string, x, lo, hi float64, what string) bool {
		if x >= lo && x <= hi {
			return true
		}
		v.add("%s %s: %s is out of range; allowed: %s in [%s, %s]", at, field, fmtG(x), what, fmtG(lo), fmtG(hi))
		return false
	}
	if l := va.Leak; l != nil {
		within("leak.p_value", l.PValue, 0, 1, "a p-value")
		within("leak.goroutine_p_value", l.GoroutinePValue, 0, 1, "a p-value")
		within("leak.growth_bytes", l.GrowthBytes, -metric.MaxBytes, metric.MaxBytes, "bytes")
		within("leak.slope_bytes_per_sec", l.SlopeBytesPerSec, -metric.MaxRate, metric.MaxRate, "bytes/s")
		within("leak.threshold_bytes", float64(l.ThresholdBytes), 0, metric.MaxBytes, "bytes")
		within("leak.goroutine_growth", l.GoroutineGrowth, -metric.MaxBytes, metric.MaxBytes, "a count")
		for _, c := range []struct {
			field string
			n     int
		}{{"leak.runs", l.Runs}, {"leak.runs_judged", l.RunsJudged}, {"leak.runs_detected", l.RunsDetected}} {
			within(c.field, float64(c.n), 0, metric.MaxBytes, "a run count")
		}
	}
	if tl := va.Timeline; tl != nil {
		for _, sr := range []struct {
			field string
			xs    []float64
			hi    float64
			what  string
		}{{"t_seconds", tl.TSeconds, metric.MaxSeconds, "seconds"}, {"heap_bytes", tl.HeapBytes, metric.MaxBytes, "bytes"},
			{"rss_bytes", tl.RSSBytes, metric.MaxBytes, "bytes"}, {"goroutines", tl.Goroutines, metric.MaxBytes, "a count"}} {
			for i, x := range sr.xs {
				if !within(fmt.Sprintf("timeline.%s[%d]", sr.field, i), x, 0, sr.hi, sr.what) {
					break // one problem per series
				}
			}
		}
	}
}

// derived checks the figures a scenario stores once computed from its runs
// (comparisons and target results; merge writes them into summary.md as
// they are): medians and intervals its metric can take, confidences in
// [0, 1], no negative run count. at is the scenario's place in the report.
func (v *validator) derived(at string, s *Scenario) {
	info := func(name string) (metric.Info, bool) {
		if names.CheckMetric(name) != nil {
			return metric.Info{}, false
		}
		return s.MetricInfo(name)
	}
	for i, c := range s.Comparisons {
		m, ok := info(c.Metric)
		if !ok {
			continue
		}
		cat := fmt.Sprintf("%s comparisons[%d] (%s, %s)", at, i, c.Variant, c.Metric)
		v.summaryFigures(cat+" summary", m, c.Summary)
		if !(c.ChangeConfidence >= 0 && c.ChangeConfidence <= 1) {
			v.add("%s.change_confidence: %s is out of range; allowed: [0, 1]", cat, fmtG(c.ChangeConfidence))
		}
	}
	for i, t := range s.Targets {
		m, ok := info(t.Metric)
		if !ok {
			continue
		}
		for k, r := range t.Results {
			rat := fmt.Sprintf("%s targets[%d].results[%d]", at, i, k)
			for _, f := range []struct {
				field string
				x     float64
			}{{"baseline_median", r.BaselineMedian}, {"median", r.Median}, {"median_ci_low", r.MedianCILow}, {"median_ci_high", r.MedianCIHigh}} {
				if err := m.CheckValue(f.x); err != nil {
					v.add("%s.%s: %v", rat, f.field, err)
				}
			}
			if !(r.Confidence >= 0 && r.Confidence <= 1) {
				v.add("%s.confidence: %s is out of range; allowed: [0, 1]", rat, fmtG(r.Confidence))
			}
			if r.N < 0 || r.BaselineN < 0 || r.RunsNeeded < 0 {
				v.add("%s: a negative run count (n %d, baseline_n %d, runs_needed %d); allowed: >= 0", rat, r.N, r.BaselineN, r.RunsNeeded)
			}
		}
	}
}

func fmtG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// summaryShape checks what holds of every summary: n >= 0, a deviation in
// [0, the range's width], a confidence in [0, 1].
func summaryShape(s Summary, r metric.Range) error {
	var errs []error
	if s.N < 0 {
		errs = append(errs, fmt.Errorf("n %d is negative; allowed: a run count >= 0", s.N))
	}
	if !(s.Stddev >= 0 && s.Stddev <= r.Max-r.Min) {
		errs = append(errs, fmt.Errorf("stddev %g is out of range; allowed: [0, %g]", s.Stddev, r.Max-r.Min))
	}
	if !(s.CIConfidence >= 0 && s.CIConfidence <= 1) {
		errs = append(errs, fmt.Errorf("ci_confidence %g is out of range; allowed: [0, 1]", s.CIConfidence))
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
