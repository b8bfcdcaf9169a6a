package results

import (
	"fmt"
	"io"
	"strings"
)

// GHAEntry is one entry of github-action-benchmark's customSmallerIsBetter format.
type GHAEntry struct {
	Name  string  `json:"name"`
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
	Range string  `json:"range,omitempty"`
	Extra string  `json:"extra,omitempty"`
}

// GHAEntries are r's entries for github-action-benchmark: for every scenario
// and variant, the median of each shown lower-is-better metric
// (targeted and key metrics), named "<scenario>/<variant> <metric>"
// ("<scenario>/<variant> (quick) <metric>" for a run -quick report).
func GHAEntries(r *Report) []GHAEntry {
	out := []GHAEntry{}
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		for _, m := range s.ShownMetrics() {
			info, _ := Metric(m)
			if !info.LowerIsBetter {
				continue // customSmallerIsBetter cannot carry higher-is-better figures
			}
			for _, vm := range ScenarioMetric(s, m) {
				if vm.Summary.N == 0 {
					continue
				}
				unit := info.Unit
				if unit == "" {
					unit = "count"
				}
				extra := []string{fmt.Sprintf("n=%d", vm.Summary.N)}
				if vm.Summary.HasCI() {
					extra = append(extra, fmt.Sprintf("95%% CI [%s, %s]", FormatMetric(m, vm.Summary.CILow), FormatMetric(m, vm.Summary.CIHigh)))
				}
				if !vm.IsBaseline && vm.HasChange {
					extra = append(extra, fmt.Sprintf("%s vs %s (%s, %s)", vm.ChangeString(), s.Baseline, FormatPValue(vm.Sig.P), vm.Verdict))
				}
				if c := ShortCommit(r.Env.Commit); c != "" {
					extra = append(extra, "commit "+c)
				}
				out = append(out, GHAEntry{
					Name:  exportName(r, s.Name, vm.Variant) + " " + m,
					Unit:  unit,
					Value: vm.Summary.Median,
					Range: FormatInterval(vm.Summary),
					Extra: strings.Join(extra, "; "),
				})
			}
		}
	}
	return out
}

// WriteGHA writes gha.json: GHAEntries as a JSON array.
func WriteGHA(w io.Writer, r *Report) error {
	return encodeJSON(w, GHAEntries(r), "gha.json")
}
