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

	"github.com/memprism/memprism/verdict"
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
	// Missing names the scenarios and variants of OLD that NEW lacks: a
	// comparison that lost them fails.
	Missing []string `json:"missing"`
	// Failed names the variants whose NEW runs failed (crash, timeout, OOM)
	// where the OLD ones succeeded: regressions.
	Failed []string `json:"failed"`
	// DirectionalRows is how many rows were tested for a regression (the
	// Benjamini-Hochberg family).
	DirectionalRows int `json:"directional_rows"`
	// Undetectable is true when no directional row could reach significance
	// after the adjustment, however large its change (min possible p x rows >
	// alpha); MinRuns is then the fewest runs a side among those rows and
	// RunsNeeded the runs a side that would let one regression show.
	Undetectable bool `json:"undetectable"`
	MinRuns      int  `json:"min_runs,omitempty"`
	RunsNeeded   int  `json:"runs_needed,omitempty"`
}

// Row compares one metric of one variant of one scenario across two reports.
// Every figure on it comes from the successful runs of both sides (Old and
// New summarize them), never from a stored summary beside a change computed
// from the runs.
type Row struct {
	Scenario string  `json:"scenario"`
	Variant  string  `json:"variant"`
	Metric   string  `json:"metric"`
	Unit     string  `json:"unit"`
	Old      Summary `json:"old"`
	New      Summary `json:"new"`
	// Delta is the Hodges-Lehmann estimate of new/old - 1 (for old values
	// <= 0: the change of the median relative to |old median|); HasDelta is
	// false when the old median is zero and the new one is not.
	Delta    float64 `json:"delta"`
	HasDelta bool    `json:"has_delta"`
	// DeltaCILow and DeltaCIHigh bound Delta at DeltaConfidence (0: none,
	// fewer than 4 runs a side or old values <= 0).
	DeltaCILow      float64 `json:"delta_ci_low,omitempty"`
	DeltaCIHigh     float64 `json:"delta_ci_high,omitempty"`
	DeltaConfidence float64 `json:"delta_confidence,omitempty"`
	// P is the two-sided Mann-Whitney p-value of "no difference" (benchstat's).
	P float64 `json:"p"`
	// Directional is true for lower-is-better and higher-is-better metrics:
	// the rows tested for a regression.
	Directional bool `json:"directional"`
	// PWorse is the one-sided Mann-Whitney p-value of "new is worse than old
	// by more than the threshold" (verdict.TestRegression); MinP the smallest
	// it could be with these run counts.
	PWorse float64 `json:"p_worse"`
	MinP   float64 `json:"min_p"`
	// Enough is false when there are too few runs for significance.
	Enough      bool `json:"enough"`
	Significant bool `json:"significant"` // P <= Alpha with enough runs
	// Worse is true when the change is significant, in the bad direction
	// and larger than the threshold.
	Worse bool `json:"worse"`
	// PAdjusted is PWorse adjusted (Benjamini-Hochberg) over the
	// directional rows only; 1 for other rows.
	PAdjusted float64 `json:"p_adjusted"`
	// Regression is a directional row whose PAdjusted is at most Alpha: the
	// change lies beyond the threshold in the bad direction. What fails CI.
	Regression bool `json:"regression"`
	// FromSummaries is true when a side had no run values for the metric, so
	// Old and New are the reports' stored summaries and nothing was tested;
	// otherwise every figure of the row comes from the runs.
	FromSummaries bool `json:"from_summaries,omitempty"`
}

// DeltaCIString is the change with its interval, "+12.3% [+8.1%, +16.0%]",
// or the change alone without an interval; "?" without a change.
func (r Row) DeltaCIString() string {
	switch {
	case !r.HasDelta:
		return "?"
	case r.DeltaConfidence == 0:
		return FormatDelta(r.Delta)
	}
	return FormatChangeCI(r.Delta, r.DeltaCILow, r.DeltaCIHigh)
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
		Missing:    []string{},
		Failed:     []string{},
	}
	c.mismatch(old.Settings.Quick != new.Settings.Quick, "old run quick=%t, new run quick=%t: figures are not comparable", old.Settings.Quick, new.Settings.Quick)
	c.mismatch(old.Env.GOOS+"/"+old.Env.GOARCH != new.Env.GOOS+"/"+new.Env.GOARCH, "platforms differ: old %s/%s, new %s/%s", old.Env.GOOS, old.Env.GOARCH, new.Env.GOOS, new.Env.GOARCH)
	c.mismatch(old.Env.CPUModel != new.Env.CPUModel, "CPUs differ: old %q, new %q", old.Env.CPUModel, new.Env.CPUModel)
	c.mismatch(old.Incomplete, "old report is incomplete (interrupted run)")
	c.mismatch(new.Incomplete, "new report is incomplete (interrupted run)")
	for i := range old.Scenarios {
		if findScenario(new, old.Scenarios[i].Name) == nil {
			c.Missing = append(c.Missing, fmt.Sprintf("scenario %s is in the old report but missing from the new one", old.Scenarios[i].Name))
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

// adjust decides the regressions. A compare of a whole suite makes hundreds
// of tests; at alpha 0.05 each, a dozen would come out "significant" by
// chance and fail CI on noise. Each directional row's one-sided p-value of
// "worse by more than the threshold" is therefore adjusted with
// Benjamini-Hochberg over the directional rows only (rows without a
// direction, such as ops, and the two-sided benchstat p-values are not in
// the family), which keeps the expected share of false alarms among the
// reported regressions at Alpha; improvements have one-sided p-values near 1
// and do not dilute it. When even a completely separated row could not
// survive the adjustment, the comparison says it cannot detect regressions.
func (c *Comparison) adjust() {
	var idx []int
	var ps []float64
	for i := range c.Rows {
		c.Rows[i].PAdjusted, c.Rows[i].Regression = 1, false
		if c.Rows[i].Directional {
			idx = append(idx, i)
			ps = append(ps, c.Rows[i].PWorse)
		}
	}
	c.DirectionalRows = len(idx)
	for k, adj := range verdict.BenjaminiHochberg(ps) {
		r := &c.Rows[idx[k]]
		r.PAdjusted = adj
		r.Regression = adj <= Alpha
	}
	if len(idx) == 0 {
		return
	}
	c.Undetectable = true
	c.MinRuns = math.MaxInt
	for _, i := range idx {
		r := c.Rows[i]
		if r.MinP*float64(len(idx)) <= Alpha {
			c.Undetectable = false
		}
		c.MinRuns = min(c.MinRuns, r.Old.N, r.New.N)
	}
	if !c.Undetectable {
		c.MinRuns = 0
		return
	}
	c.RunsNeeded = verdict.RunsToDetect(len(idx), Alpha)
}

// Failing reports whether the comparison fails a gate: a regression, a
// variant whose new runs failed, or a scenario or variant gone missing.
func (c *Comparison) Failing() bool {
	return len(c.Regressions()) > 0 || len(c.Failed) > 0 || len(c.Missing) > 0
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
			c.Missing = append(c.Missing, fmt.Sprintf("scenario %s: variant %s is in the old report but missing from the new one", ns.Name, os.Variants[i].Name))
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
		if of, nf := failedRuns(ov), failedRuns(nv); nf > 0 && of == 0 {
			c.Failed = append(c.Failed, fmt.Sprintf("%s/%s: %d of %d new runs failed (%s); the old ones succeeded", ns.Name, nv.Name, nf, max(nf, len(nv.Runs)), firstFailure(nv)))
		}
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

// failedRuns counts a variant's failed runs; a variant that could not run
// at all counts as one.
func failedRuns(v *Variant) int {
	n := 0
	for _, r := range v.Runs {
		if r.Failed() {
			n++
		}
	}
	if n == 0 && v.Error != "" {
		n = 1
	}
	return n
}

// firstFailure names the first failure of a variant's runs.
func firstFailure(v *Variant) string {
	for _, r := range v.Runs {
		if r.Failed() {
			msg := r.Error
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
			if r.Fault != "" {
				return r.Fault + ": " + msg
			}
			return msg
		}
	}
	return v.Error
}

// compareMetric compares one metric of a variant. Every figure of the row
// (medians, intervals, n, change, p) comes from the same data: the
// successful runs of both sides. A report's stored summaries are not used
// while both sides have runs, so a summary that disagrees with its runs
// (a doctored or hand-edited report) cannot put one median on the row and
// a change from other data beside it. Only when a side has no run values
// for the metric are both sides' summaries used, and the row says so
// (FromSummaries) and tests nothing.
func compareMetric(scenario string, ov, nv *Variant, metric string, threshold float64) Row {
	info, _ := Metric(metric)
	oldVals, newVals := RunValues(ov, metric), RunValues(nv, metric)
	row := Row{Scenario: scenario, Variant: nv.Name, Metric: metric, Unit: info.Unit, PWorse: 1, MinP: 1}
	if len(oldVals) > 0 && len(newVals) > 0 {
		row.Old, row.New = Summarize(oldVals), Summarize(newVals)
	} else {
		row.Old, row.New, row.FromSummaries = MetricSummary(ov, metric), MetricSummary(nv, metric), true
		oldVals, newVals = nil, nil
	}
	sig := Compare(oldVals, newVals)
	row.P, row.Enough, row.Significant = sig.P, sig.Enough, sig.Significant()
	switch {
	case row.Old.Median != 0:
		// Relative to |old| so that growth from -10 to -5 reads +50%.
		row.Delta, row.HasDelta = (row.New.Median-row.Old.Median)/math.Abs(row.Old.Median), true
	case row.New.Median == 0:
		row.HasDelta = true
	}
	row.Directional = info.LowerIsBetter || info.HigherIsBetter
	if len(oldVals) > 0 && len(newVals) > 0 {
		reg := verdict.TestRegression(oldVals, newVals, threshold, !info.HigherIsBetter)
		if slices.Min(oldVals) > 0 {
			row.Delta, row.HasDelta = reg.Change, true
		}
		if reg.Confidence > 0 && len(oldVals) >= verdict.MinRuns && len(newVals) >= verdict.MinRuns {
			row.DeltaCILow, row.DeltaCIHigh, row.DeltaConfidence = reg.ChangeCILow, reg.ChangeCIHigh, reg.Confidence
		}
		if row.Directional {
			row.PWorse, row.MinP = reg.PWorse, reg.MinP
		}
	}
	if row.Significant {
		worseUp := row.New.Median > row.Old.Median && (!row.HasDelta || row.Delta > threshold)
		worseDown := row.New.Median < row.Old.Median && row.HasDelta && -row.Delta > threshold
		row.Worse = (info.LowerIsBetter && worseUp) || (info.HigherIsBetter && worseDown)
	}
	return row
}

// Regressions returns the directional rows that got worse by more than the
// threshold, significantly after the Benjamini-Hochberg adjustment.
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
	for _, m := range c.Missing {
		fmt.Fprintf(&b, "MISSING: %s\n", m)
	}
	for _, f := range c.Failed {
		fmt.Fprintf(&b, "FAILED: %s\n", f)
	}
	for _, group := range c.byScenario() {
		fmt.Fprintf(&b, "\nscenario: %s\n", group[0].Scenario)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "variant\tmetric\told\tnew\tchange [95%% CI]\tp\tn\t\n")
		for _, r := range group {
			fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s %s\t%s\t%s\t%d+%d\t  %s\n", r.Variant, MetricLabel(r.Metric),
				FormatValue(r.Old.Median, r.Unit), FormatInterval(r.Old), FormatValue(r.New.Median, r.Unit), FormatInterval(r.New),
				r.DeltaCIString(), FormatP(r.P), r.Old.N, r.New.N, rowNote(r))
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
	fmt.Fprintf(&b, "Old `%s`, new `%s`. Changes are Hodges-Lehmann estimates of new/old with their 95%% Moses interval; `~` means no significant difference (Mann-Whitney U, α = %.2f). "+
		"A regression is a one-sided Mann-Whitney test of \"worse by more than %s\", significant after Benjamini-Hochberg over the %d directional rows.\n\n",
		refText(c.Old), refText(c.New), Alpha, trimPct(c.Threshold), c.DirectionalRows)
	fmt.Fprintf(&b, "**%s**\n\n", strings.ReplaceAll(c.conclusion(), "\n", " "))
	if len(c.Missing)+len(c.Failed) > 0 {
		b.WriteString("Failing the comparison:\n\n")
		for _, m := range c.Missing {
			fmt.Fprintf(&b, "- ❌ %s\n", mdCell(m))
		}
		for _, f := range c.Failed {
			fmt.Fprintf(&b, "- ❌ %s\n", mdCell(f))
		}
		b.WriteString("\n")
	}
	if len(c.Mismatches) > 0 {
		b.WriteString("The reports differ:\n\n")
		for _, m := range c.Mismatches {
			fmt.Fprintf(&b, "- %s\n", mdCell(m))
		}
		b.WriteString("\n")
	}
	for _, group := range c.byScenario() {
		fmt.Fprintf(&b, "## %s\n\n| variant | metric | old | new | change [95%% CI] | p | n | |\n|---|---|---:|---:|---:|---:|---:|---|\n", group[0].Scenario)
		for _, r := range group {
			note := rowNote(r)
			if r.Regression {
				note = "❌ " + note
			}
			fmt.Fprintf(&b, "| %s | %s | %s %s | %s %s | %s | %s | %d+%d | %s |\n", r.Variant, MetricLabel(r.Metric),
				FormatValue(r.Old.Median, r.Unit), FormatInterval(r.Old), FormatValue(r.New.Median, r.Unit), FormatInterval(r.New),
				r.DeltaCIString(), FormatP(r.P), r.Old.N, r.New.N, note)
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
	var parts []string
	if n := len(c.Missing) + len(c.Failed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d variant(s) or scenario(s) failed or went missing (see above).", n))
	}
	regs := c.Regressions()
	switch {
	case len(regs) > 0:
		names := make([]string, len(regs))
		for i, r := range regs {
			names[i] = fmt.Sprintf("%s/%s %s %s", r.Scenario, r.Variant, MetricLabel(r.Metric), r.DeltaCIString())
		}
		parts = append(parts, fmt.Sprintf("%d regression(s) beyond %s: %s.", len(regs), trimPct(c.Threshold), strings.Join(names, ", ")))
	case c.Undetectable:
		parts = append(parts, fmt.Sprintf("cannot detect regressions with n=%d; need >= %d runs a side (with %d rows tested, even a completely separated change could not reach significance after the adjustment).",
			c.MinRuns, c.RunsNeeded, c.DirectionalRows))
	default:
		parts = append(parts, fmt.Sprintf("No regressions beyond %s.", trimPct(c.Threshold)))
	}
	return strings.Join(parts, "\n")
}

func rowNote(r Row) string {
	switch {
	case r.FromSummaries:
		return "summaries only, not tested"
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
