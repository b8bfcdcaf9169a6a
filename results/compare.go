package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// CompareOptions configure CompareReports. The zero value compares every
// metric; a zero Threshold flags any significant worsening.
type CompareOptions struct {
	// Threshold is the relative worsening (0.05 for 5%) beyond which a
	// significant change of a lower-is-better metric is a regression.
	Threshold float64
	// Metrics limits the comparison to these metrics; empty means all.
	Metrics []string
}

// DefaultCompareOptions are the options `memprism compare` uses by default.
var DefaultCompareOptions = CompareOptions{Threshold: 0.05}

// ReportRef identifies a compared report.
type ReportRef struct {
	Commit    string    `json:"commit"`
	Dirty     bool      `json:"dirty"`
	StartedAt time.Time `json:"started_at"`
	Quick     bool      `json:"quick"`
}

// Label is the report's short commit, marked when dirty.
func (r ReportRef) Label() string {
	l := orDash(ShortCommit(r.Commit))
	if r.Dirty {
		l += "+dirty"
	}
	return l
}

// Comparison is the result of comparing two reports, computed once and
// rendered as text, Markdown, JSON or a chart.
type Comparison struct {
	Old        ReportRef `json:"old"`
	New        ReportRef `json:"new"`
	Threshold  float64   `json:"threshold"`
	Rows       []Row     `json:"rows"`
	Mismatches []string  `json:"mismatches"` // what the two reports do not share, said plainly
}

// Row compares one metric of one variant of one scenario across two reports.
type Row struct {
	Scenario string  `json:"scenario"`
	Variant  string  `json:"variant"`
	Metric   string  `json:"metric"`
	Unit     string  `json:"unit"`
	Old      Summary `json:"old"`
	New      Summary `json:"new"`
	// Delta is new median / old median - 1; HasDelta is false when the old
	// median is zero and the new one is not.
	Delta    float64 `json:"delta"`
	HasDelta bool    `json:"has_delta"`
	P        float64 `json:"p"`
	// Enough is false when there are too few runs for significance.
	Enough      bool `json:"enough"`
	Significant bool `json:"significant"` // P <= Alpha with enough runs
	// Worse is true when the change is significant, in the bad direction
	// and larger than the threshold.
	Worse bool `json:"worse"`
	// PAdjusted is P adjusted for the number of rows compared
	// (Benjamini-Hochberg); 1 for rows without enough runs.
	PAdjusted float64 `json:"p_adjusted"`
	// Regression is Worse for a lower-is-better metric that stays significant
	// after the adjustment: what fails CI.
	Regression bool `json:"regression"`
}

// Better reports a significant change in the metric's direction of improvement.
func (r Row) Better() bool {
	info, _ := Metric(r.Metric)
	return r.HasDelta && direction(info, Significance{P: r.P, Enough: r.Enough}, r.New.Median-r.Old.Median) == "better"
}

// DeltaString is the change as benchstat prints it: "~" when not significant.
func (r Row) DeltaString() string {
	switch {
	case !r.Significant:
		return "~"
	case !r.HasDelta:
		return "?"
	case r.Delta == 0:
		return "0.0%"
	}
	return FormatDelta(r.Delta)
}

// CompareReports compares every scenario, variant and metric the two
// reports share, and lists plainly what they do not share.
func CompareReports(old, new *Report, opts CompareOptions) *Comparison {
	c := &Comparison{
		Old:        ReportRef{old.Env.Commit, old.Env.Dirty, old.StartedAt, old.Settings.Quick},
		New:        ReportRef{new.Env.Commit, new.Env.Dirty, new.StartedAt, new.Settings.Quick},
		Threshold:  opts.Threshold,
		Rows:       []Row{},
		Mismatches: []string{},
	}
	c.mismatch(old.Settings.Quick != new.Settings.Quick, "old run quick=%t, new run quick=%t: figures are not comparable", old.Settings.Quick, new.Settings.Quick)
	c.mismatch(old.Env.GOOS+"/"+old.Env.GOARCH != new.Env.GOOS+"/"+new.Env.GOARCH, "platforms differ: old %s/%s, new %s/%s", old.Env.GOOS, old.Env.GOARCH, new.Env.GOOS, new.Env.GOARCH)
	c.mismatch(old.Env.CPUModel != new.Env.CPUModel, "CPUs differ: old %q, new %q", old.Env.CPUModel, new.Env.CPUModel)
	c.mismatch(old.Incomplete, "old report is incomplete (interrupted run)")
	c.mismatch(new.Incomplete, "new report is incomplete (interrupted run)")
	for i := range old.Scenarios {
		if findScenario(new, old.Scenarios[i].Name) == nil {
			c.mismatch(true, "scenario %s is only in the old report", old.Scenarios[i].Name)
		}
	}
	for i := range new.Scenarios {
		ns := &new.Scenarios[i]
		os := findScenario(old, ns.Name)
		if os == nil {
			c.mismatch(true, "scenario %s is only in the new report", ns.Name)
			continue
		}
		c.compareScenario(os, ns, opts)
	}
	c.adjust()
	return c
}

// adjust controls the false discovery rate across the comparison. A compare
// of a whole suite makes hundreds of tests (every metric of every variant);
// at alpha 0.05 each, a dozen would come out "significant" by chance and fail
// CI on noise. Regressions are therefore decided on Benjamini-Hochberg
// adjusted p-values, which keep the expected share of false alarms among the
// reported regressions at Alpha. Per-row `~` marks stay benchstat's.
func (c *Comparison) adjust() {
	var idx []int
	for i := range c.Rows {
		c.Rows[i].PAdjusted = 1
		if c.Rows[i].Enough {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return c.Rows[idx[a]].P < c.Rows[idx[b]].P })
	m := float64(len(idx))
	running := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		r := &c.Rows[idx[k]]
		running = math.Min(running, r.P*m/float64(k+1))
		r.PAdjusted = math.Min(running, 1)
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		r.Regression = r.Regression && r.PAdjusted <= Alpha
	}
}

func (c *Comparison) mismatch(cond bool, format string, args ...any) {
	if cond {
		c.Mismatches = append(c.Mismatches, fmt.Sprintf(format, args...))
	}
}

func (c *Comparison) compareScenario(os, ns *Scenario, opts CompareOptions) {
	c.mismatch(os.Workload != ns.Workload, "scenario %s: workload differs: old %s, new %s", ns.Name, os.Workload, ns.Workload)
	c.mismatch(!sameJSON(os.Params, ns.Params), "scenario %s: params differ: old %s, new %s", ns.Name, jsonText(os.Params), jsonText(ns.Params))
	c.mismatch(!sameJSON(os.Run, ns.Run), "scenario %s: run settings differ: old %s, new %s", ns.Name, jsonText(os.Run), jsonText(ns.Run))
	for i := range os.Variants {
		if ns.VariantByName(os.Variants[i].Name) == nil {
			c.mismatch(true, "scenario %s: variant %s is only in the old report", ns.Name, os.Variants[i].Name)
		}
	}
	for i := range ns.Variants {
		nv := &ns.Variants[i]
		ov := os.VariantByName(nv.Name)
		if ov == nil {
			c.mismatch(true, "scenario %s: variant %s is only in the new report", ns.Name, nv.Name)
			continue
		}
		c.mismatch(!sameJSON(ov.Params, nv.Params), "scenario %s, variant %s: params differ: old %s, new %s", ns.Name, nv.Name, jsonText(ov.Params), jsonText(nv.Params))
		for _, m := range metricsOf(ov, nv, opts.Metrics) {
			c.Rows = append(c.Rows, compareMetric(ns.Name, ov, nv, m, opts.Threshold))
		}
	}
}

// metricsOf lists the metrics to compare for a variant pair: those asked for,
// or every metric measured in both, in catalogue order.
func metricsOf(ov, nv *Variant, asked []string) []string {
	have := func(v *Variant, m string) bool {
		_, ok := v.Summary[m]
		return ok || len(RunValues(v, m)) > 0
	}
	var names []string
	if len(asked) > 0 {
		names = slices.Clone(asked)
	} else {
		seen := map[string]bool{}
		for _, v := range []*Variant{ov, nv} {
			for m := range v.Summary {
				seen[m] = true
			}
			for _, r := range v.Runs {
				for m := range r.Metrics {
					seen[m] = true
				}
			}
		}
		for m := range seen {
			names = append(names, m)
		}
		sort.Slice(names, func(i, j int) bool {
			a, b := metricIndex(names[i]), metricIndex(names[j])
			if a != b {
				return a < b
			}
			return names[i] < names[j]
		})
	}
	var out []string
	for _, m := range names {
		if m == Ops && len(asked) == 0 {
			continue // the work size, not a result
		}
		if have(ov, m) && have(nv, m) {
			out = append(out, m)
		}
	}
	return out
}

func compareMetric(scenario string, ov, nv *Variant, metric string, threshold float64) Row {
	info, _ := Metric(metric)
	oldVals, newVals := RunValues(ov, metric), RunValues(nv, metric)
	row := Row{Scenario: scenario, Variant: nv.Name, Metric: metric, Unit: info.Unit,
		Old: MetricSummary(ov, metric), New: MetricSummary(nv, metric)}
	sig := Compare(oldVals, newVals)
	row.P, row.Enough, row.Significant = sig.P, sig.Enough, sig.Significant()
	switch {
	case row.Old.Median != 0:
		// Relative to |old| so that growth from -10 to -5 reads +50%.
		row.Delta, row.HasDelta = (row.New.Median-row.Old.Median)/math.Abs(row.Old.Median), true
	case row.New.Median == 0:
		row.HasDelta = true
	}
	if row.Significant {
		worseUp := row.New.Median > row.Old.Median && (!row.HasDelta || row.Delta > threshold)
		worseDown := row.New.Median < row.Old.Median && row.HasDelta && -row.Delta > threshold
		row.Worse = (info.LowerIsBetter && worseUp) || (info.HigherIsBetter && worseDown)
		row.Regression = row.Worse && info.LowerIsBetter
	}
	return row
}

// Regressions returns the rows of lower-is-better metrics that got
// significantly worse by more than the threshold.
func (c *Comparison) Regressions() []Row {
	var out []Row
	for _, r := range c.Rows {
		if r.Regression {
			out = append(out, r)
		}
	}
	return out
}

func findScenario(r *Report, name string) *Scenario {
	for i := range r.Scenarios {
		if r.Scenarios[i].Name == name {
			return &r.Scenarios[i]
		}
	}
	return nil
}

// sameJSON compares values by their JSON encoding, so 1 and 1.0 are equal.
func sameJSON(a, b any) bool { return jsonText(a) == jsonText(b) }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// WriteComparisonText writes c as aligned plain-text tables, one per scenario.
func WriteComparisonText(w io.Writer, c *Comparison) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old: %s   new: %s   threshold: %s   α = %.2f\n", refText(c.Old), refText(c.New), trimPct(c.Threshold), Alpha)
	for _, m := range c.Mismatches {
		fmt.Fprintf(&b, "mismatch: %s\n", m)
	}
	for _, group := range c.byScenario() {
		fmt.Fprintf(&b, "\nscenario: %s\n", group[0].Scenario)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "variant\tmetric\told\tnew\tdelta\tp\tn\t\n")
		for _, r := range group {
			fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s %s\t%s\t%s\t%d+%d\t  %s\n", r.Variant, MetricLabel(r.Metric),
				FormatValue(r.Old.Median, r.Unit), FormatInterval(r.Old), FormatValue(r.New.Median, r.Unit), FormatInterval(r.New),
				r.DeltaString(), FormatP(r.P), r.Old.N, r.New.N, rowNote(r))
		}
		tw.Flush()
	}
	b.WriteString("\n" + c.conclusion() + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteComparisonMarkdown writes c as Markdown tables, one per scenario.
func WriteComparisonMarkdown(w io.Writer, c *Comparison) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# memprism compare: %s → %s\n\n", c.Old.Label(), c.New.Label())
	fmt.Fprintf(&b, "Old `%s`, new `%s`. Regression threshold %s; `~` means no significant difference (Mann-Whitney U, α = %.2f). A regression must also stay significant after adjusting for the %d comparisons (Benjamini-Hochberg).\n\n",
		refText(c.Old), refText(c.New), trimPct(c.Threshold), Alpha, len(c.Rows))
	fmt.Fprintf(&b, "**%s**\n\n", c.conclusion())
	if len(c.Mismatches) > 0 {
		b.WriteString("The reports differ:\n\n")
		for _, m := range c.Mismatches {
			fmt.Fprintf(&b, "- %s\n", mdCell(m))
		}
		b.WriteString("\n")
	}
	for _, group := range c.byScenario() {
		fmt.Fprintf(&b, "## %s\n\n| variant | metric | old | new | delta | p | n | |\n|---|---|---:|---:|---:|---:|---:|---|\n", group[0].Scenario)
		for _, r := range group {
			note := rowNote(r)
			if r.Regression {
				note = "❌ " + note
			}
			fmt.Fprintf(&b, "| %s | %s | %s %s | %s %s | %s | %s | %d+%d | %s |\n", r.Variant, MetricLabel(r.Metric),
				FormatValue(r.Old.Median, r.Unit), FormatInterval(r.Old), FormatValue(r.New.Median, r.Unit), FormatInterval(r.New),
				r.DeltaString(), FormatP(r.P), r.Old.N, r.New.N, note)
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteComparisonJSON writes c as indented JSON.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	return encodeJSON(w, c, "comparison")
}

// byScenario groups the rows by scenario, in order of appearance.
func (c *Comparison) byScenario() [][]Row {
	var out [][]Row
	idx := map[string]int{}
	for _, r := range c.Rows {
		i, ok := idx[r.Scenario]
		if !ok {
			i = len(out)
			idx[r.Scenario] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

func (c *Comparison) conclusion() string {
	regs := c.Regressions()
	if len(regs) == 0 {
		return fmt.Sprintf("No regressions beyond %s.", trimPct(c.Threshold))
	}
	names := make([]string, len(regs))
	for i, r := range regs {
		names[i] = fmt.Sprintf("%s/%s %s %s", r.Scenario, r.Variant, MetricLabel(r.Metric), r.DeltaString())
	}
	return fmt.Sprintf("%d regression(s) beyond %s: %s.", len(regs), trimPct(c.Threshold), strings.Join(names, ", "))
}

func rowNote(r Row) string {
	switch {
	case r.Regression:
		return "REGRESSION"
	case r.Worse:
		return "worse"
	case !r.Enough:
		return "too few runs"
	}
	return ""
}

func refText(r ReportRef) string {
	s := r.Label()
	if !r.StartedAt.IsZero() {
		s += " (" + r.StartedAt.UTC().Format("2006-01-02 15:04 UTC") + ")"
	}
	if r.Quick {
		s += " quick"
	}
	return s
}
