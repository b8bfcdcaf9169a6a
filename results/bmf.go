package results

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"
	"strings"
)

// BMFMetric is one measure of one benchmark in the Bencher Metric Format
// (bencher.dev's JSON for custom harnesses, read by `bencher run --adapter
// json`): the value and, optionally, the bounds of its interval.
type BMFMetric struct {
	Value      float64  `json:"value"`
	LowerValue *float64 `json:"lower_value,omitempty"`
	UpperValue *float64 `json:"upper_value,omitempty"`
}

// BMF is the content of bmf.json: benchmark name ("<scenario>/<variant>",
// with " (quick)" for a run -quick report)
// to measure slug (the metric's name in kebab case, such as
// "peak-heap-bytes") to its figure.
type BMF map[string]map[string]BMFMetric

// Limits of Bencher's identifiers.
const (
	BMFMaxBenchmarkName = 1024 // characters of a benchmark name
	BMFMaxMeasure       = 64   // characters of a measure slug
)

// BMFOf is r's Bencher Metric Format: for every scenario and variant, every
// summarized metric's median as the value and, when the runs support a 95%
// interval, its bounds as lower_value and upper_value. Bencher's own Go
// adapter reads only ns/op; this carries memprism's memory figures. A metric's
// unit and direction are in its name (bytes, seconds, _per_sec) and in
// docs/metrics.md; set the measure's units and thresholds in Bencher.
func BMFOf(r *Report) BMF {
	out := BMF{}
	for _, s := range r.Scenarios {
		for _, v := range s.Variants {
			names := make([]string, 0, len(v.Summary))
			for m := range v.Summary {
				names = append(names, m)
			}
			sort.Strings(names)
			ms := map[string]BMFMetric{}
			for _, m := range names {
				sum := v.Summary[m]
				if sum.N == 0 || !isFinite(sum.Median) {
					continue
				}
				e := BMFMetric{Value: sum.Median}
				if sum.HasCI() && isFinite(sum.CILow) && isFinite(sum.CIHigh) {
					lo, hi := math.Min(sum.CILow, sum.Median), math.Max(sum.CIHigh, sum.Median)
					e.LowerValue, e.UpperValue = &lo, &hi
				}
				ms[BMFMeasure(m)] = e
			}
			if len(ms) > 0 {
				out[bmfBenchmark(exportName(r, s.Name, v.Name))] = ms
			}
		}
	}
	return out
}

// BMFMeasure is the Bencher measure slug of a metric: lower case, every run
// of characters other than a-z and 0-9 turned into one hyphen, at most
// BMFMaxMeasure characters (peak_heap_bytes -> peak-heap-bytes). A longer
// slug (a snapshot with a long label) keeps its start and ends in 8 hex
// digits of a hash of the whole slug, so that two metrics that differ only
// past the limit (snapshot.<label>.live_heap_bytes and
// .live_heap_growth_bytes) stay two measures.
func BMFMeasure(metric string) string {
	var b strings.Builder
	hyphen := false
	for _, c := range strings.ToLower(metric) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			hyphen = false
			continue
		}
		hyphen = true
	}
	s := b.String()
	if len(s) > BMFMaxMeasure {
		h := fnv.New32a()
		h.Write([]byte(s))
		s = fmt.Sprintf("%s-%08x", strings.TrimRight(s[:BMFMaxMeasure-9], "-"), h.Sum32())
	}
	return s
}

// exportName names a variant in the exports read by trackers across runs
// (bmf.json, gha.json): "<scenario>/<variant>", with " (quick)" for a
// run -quick report, whose work is sized differently, so that a tracker
// keeps quick and full figures in series of their own as bench.txt's
// "work:" line and trend do.
func exportName(r *Report, scenario, variant string) string {
	name := scenario + "/" + variant
	if r.Settings.Quick {
		name += " (quick)"
	}
	return name
}

func bmfBenchmark(name string) string {
	if len(name) > BMFMaxBenchmarkName {
		name = name[:BMFMaxBenchmarkName]
	}
	return name
}

// WriteBMF writes bmf.json: BMFOf(r).
func WriteBMF(w io.Writer, r *Report) error {
	return encodeJSON(w, BMFOf(r), "bmf.json")
}
