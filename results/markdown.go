package results

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/memprism/memprism/internal/safeio"
)

// TopSitesShown is how many allocation sites per variant summary.md lists.
const TopSitesShown = 5

// WriteMarkdown writes summary.md: the environment, a verdict table per
// scenario (targeted and key metrics, each variant's median ± interval,
// change vs baseline, p and verdict), leaks, top allocation sites,
// recommendations, and the scenario's charts linked by relative path.
// Control and format characters in it are escaped as safeio.Text does.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# memprism report: %s\n\n", strings.ToUpper(orDash(r.Verdict)))
	if r.Incomplete {
		b.WriteString("> **Incomplete:** the run was interrupted; only finished runs are reported.\n\n")
	}
	writeEnv(&b, r)
	if len(r.Scenarios) > 1 {
		b.WriteString("| scenario | workload | verdict |\n|---|---|---|\n")
		for _, s := range r.Scenarios {
			fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", s.Name, anchor(s.Name, s.Verdict), mdCell(s.Workload), verdictCell(s.Verdict))
		}
		b.WriteString("\n")
	}
	infinite := false
	for i := range r.Scenarios {
		if writeScenarioMD(&b, &r.Scenarios[i], !r.Settings.NoPlots) {
			infinite = true
		}
	}
	b.WriteString("---\n")
	if infinite {
		b.WriteString("`(range, 93.8%)`: fewer than 6 successful runs, too few for a 95% confidence interval of the median; " +
			"the half width of the runs' range is shown with its real confidence. ")
	}
	b.WriteString("`± x%` is the 95% confidence interval of the median. A change is the Hodges-Lehmann estimate of variant/baseline " +
		"with its 95% Moses interval (the Mann-Whitney test inverted; at least 4 runs a side). Targets pass only when the whole interval " +
		"clears the target line, fail when it lies wholly short of it, and are inconclusive otherwise. " +
		"`p`: Mann-Whitney U against the baseline, `~` not significant at α = 0.05.\n")
	// Free text from the runs (an error, a profile's function name) is
	// escaped like everything memprism prints, so `cat summary.md` at a
	// terminal shows it as text.
	sw := safeio.NewWriter(w, "\n")
	if _, err := sw.Write(b.Bytes()); err != nil {
		return err
	}
	return sw.Flush()
}

func writeEnv(b *bytes.Buffer, r *Report) {
	e := r.Env
	commit := "`" + orDash(ShortCommit(e.Commit)) + "`"
	if e.Dirty {
		commit += " (uncommitted changes)"
	} else if e.DirtyUnknown && e.Commit != "" {
		commit += " (uncommitted changes: unknown)"
	}
	if note := ProvenanceNote(e); note != "" {
		commit += "; " + note
	}
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(b, "| commit | %s |\n", commit)
	fmt.Fprintf(b, "| Go | %s %s/%s |\n", mdCell(e.GoVersion), mdCell(e.GOOS), mdCell(e.GOARCH))
	fmt.Fprintf(b, "| CPU | %s (%d CPUs) |\n", mdCell(orDash(e.CPUModel)), e.CPUs)
	if e.MemoryTotalBytes > 0 {
		fmt.Fprintf(b, "| memory | %s |\n", FormatBytes(float64(e.MemoryTotalBytes)))
	}
	if !r.StartedAt.IsZero() {
		when := r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")
		if !r.FinishedAt.IsZero() {
			when += fmt.Sprintf(" (%s)", r.FinishedAt.Sub(r.StartedAt).Round(time.Second))
		}
		fmt.Fprintf(b, "| started | %s |\n", when)
	}
	var mode []string
	if r.Settings.Quick {
		mode = append(mode, "quick (scaled-down work, smoke test only)")
	}
	if r.Settings.Repetitions > 0 {
		mode = append(mode, fmt.Sprintf("%d repetitions (override)", r.Settings.Repetitions))
	}
	if r.Settings.Filter != "" {
		mode = append(mode, "scenarios matching `"+r.Settings.Filter+"`")
	}
	if len(mode) > 0 {
		fmt.Fprintf(b, "| mode | %s |\n", strings.Join(mode, ", "))
	}
	b.WriteString("\n")
}

// writeScenarioMD writes one scenario's section and reports whether a
// summary without a 95% interval was shown.
func writeScenarioMD(b *bytes.Buffer, s *Scenario, charts bool) (infinite bool) {
	fmt.Fprintf(b, "## %s: %s\n\n", s.Name, strings.ToUpper(orDash(s.Verdict)))
	if s.Description != "" {
		b.WriteString(s.Description + "\n\n")
	}
	fmt.Fprintf(b, "Workload `%s`, baseline `%s`, %d counted runs per variant (%d warm-up), GOGC=%d",
		s.Workload, orDash(s.Baseline), s.Run.Repetitions, s.Run.Warmup, s.Run.GOGC)
	if s.Run.MemoryLimitBytes > 0 {
		fmt.Fprintf(b, ", GOMEMLIMIT=%s", FormatBytes(float64(s.Run.MemoryLimitBytes)))
	}
	if s.Source != "" {
		fmt.Fprintf(b, "; from `%s`", s.Source)
	}
	b.WriteString(".\n\n")

	for _, v := range s.Variants {
		failed := 0
		for _, r := range v.Runs {
			if r.Failed() {
				failed++
			}
		}
		if v.Error != "" {
			fmt.Fprintf(b, "> **%s failed:** %s\n\n", v.Name, mdCell(v.Error))
		} else if failed > 0 {
			fmt.Fprintf(b, "> **%s:** %d of %d runs failed and are left out.\n\n", v.Name, failed, len(v.Runs))
		}
	}

	if len(s.Targets) > 0 {
		b.WriteString("### Targets\n\n| metric | target | variant | baseline median | variant median | change or median [95% CI] | n | verdict |\n|---|---|---|---:|---:|---:|---:|---|\n")
		for _, t := range s.Targets {
			for _, tr := range t.Results {
				base, n := NoData, fmt.Sprint(tr.N)
				if t.Relative() {
					base, n = FormatMetric(t.Metric, tr.BaselineMedian), fmt.Sprintf("%d+%d", tr.BaselineN, tr.N)
					if tr.BaselineN == 0 {
						base = NoData
					}
				}
				median := NoData
				if tr.N > 0 {
					median = FormatMetric(t.Metric, tr.Median)
				}
				fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
					t.Metric, mdCell(t.Describe(s.Baseline)), tr.Variant, base, median,
					TargetEstimate(t, tr), n, verdictCell(TargetOutcome(t, tr)))
				if tr.Reason != "" {
					fmt.Fprintf(b, "| | | | | | | | ↳ %s |\n", mdCell(tr.Reason))
				}
			}
		}
		b.WriteString("\n")
	}

	metrics := s.ShownMetrics()
	if len(metrics) > 0 {
		b.WriteString("### Metrics\n\n| metric | variant | median ± 95% interval | change vs baseline [95% CI] | p | verdict |\n|---|---|---:|---:|---:|---|\n")
		for _, m := range metrics {
			for _, vm := range ScenarioMetric(s, m) {
				if vm.Summary.N == 0 {
					fmt.Fprintf(b, "| %s | %s | no data | | | |\n", MetricLabel(m), vm.Variant)
					continue
				}
				if !vm.Summary.HasCI() {
					infinite = true
				}
				change, p := vm.ChangeString(), ""
				if !vm.IsBaseline {
					p = FormatP(vm.Sig.P)
					if !vm.Sig.Enough {
						p += " (too few runs)"
					}
				}
				fmt.Fprintf(b, "| %s | %s | %s %s | %s | %s | %s |\n", MetricLabel(m), vm.Variant,
					FormatMetric(m, vm.Summary.Median), FormatInterval(vm.Summary), change, p, verdictCell(vm.Verdict))
			}
		}
		b.WriteString("\n")
	}

	writeLoadMD(b, s)
	writeLeaksMD(b, s)
	writeGoroutinesMD(b, s)
	writeSitesMD(b, s)
	writeChangedMD(b, s)
	writeDiffCommandsMD(b, s)
	if len(s.Recommendations) > 0 {
		b.WriteString("### Recommendations\n\n")
		for _, rec := range s.Recommendations {
			fmt.Fprintf(b, "- %s\n", rec)
		}
		b.WriteString("\n")
	}
	if charts {
		b.WriteString("### Charts\n\n")
		names := ChartNames(s.Name)
		if s.HasLoad() {
			names = append(names, LatencyChartName(s.Name))
		}
		for _, c := range names {
			fmt.Fprintf(b, "![%s](%s)\n", strings.TrimSuffix(c, ".png"), c)
		}
		b.WriteString("\n")
	}
	return infinite
}

func writeLeaksMD(b *bytes.Buffer, s *Scenario) {
	any := false
	for _, v := range s.Variants {
		if v.Leak != nil {
			any = true
		}
	}
	if !any {
		return
	}
	b.WriteString("### Leaks\n\n")
	if !s.JudgeLeaks {
		b.WriteString("Information only: the scenario has no `leak:` block, so leak findings do not decide its verdict.\n\n")
	}
	b.WriteString("| variant | expected | detected | severity | growth | slope | p | judged runs with a leak | verdict | note |\n|---|---|---|---|---:|---:|---:|---:|---|---|\n")
	for _, v := range s.Variants {
		l := v.Leak
		if l == nil {
			continue
		}
		detected := "no"
		switch {
		case l.Inconclusive:
			detected = "not judged"
		case l.Detected:
			detected = "**yes**"
		}
		note := l.Reason
		growth, slope, p := FormatBytes(l.GrowthBytes), FormatBytes(l.SlopeBytesPerSec)+"/s", FormatP(l.PValue)
		if l.GoroutineLeak && !l.HeapLeak {
			// A goroutine-only leak: its own figures, not the heap's.
			growth = fmt.Sprintf("%+.0f goroutines", l.GoroutineGrowth)
			slope = fmt.Sprintf("%.3g goroutines/s", l.GoroutineSlopePerSec)
			p = FormatP(l.GoroutinePValue)
		} else if l.GoroutineGrowth != 0 {
			note = strings.TrimSpace(fmt.Sprintf("%s; goroutines %+.0f", note, l.GoroutineGrowth))
		}
		if g := v.Goroutines; g != nil && g.StackBytesFinal != g.StackBytesBaseline {
			note += fmt.Sprintf("; goroutine stacks %s → %s (not in the heap figures)", FormatBytes(float64(g.StackBytesBaseline)), FormatBytes(float64(g.StackBytesFinal)))
		}
		note = strings.TrimPrefix(note, "; ")
		verdict, judged := l.Verdict, l.RunsJudged
		if verdict == "" { // reports written before leak verdicts were stored
			verdict = NoData
		}
		if judged == 0 && !l.Inconclusive {
			judged = l.Runs
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %d of %d (%d runs) | %s | %s |\n", v.Name, yesNo(v.ExpectLeak), detected,
			orDash(l.Severity), growth, slope, p, l.RunsDetected, judged, l.Runs, verdictCell(verdict), mdCell(note))
	}
	b.WriteString("\n")
}

// ChartNames are the PNG files the plots package writes for a scenario.
func ChartNames(scenario string) []string {
	return []string{scenario + "-timeline.png", scenario + "-compare.png", scenario + "-hotspots.png"}
}

// ShortFunc shortens a fully qualified Go function name for people: type
// arguments are elided and the import path is cut to its last element, so
// "github.com/x/y/pools.(*Pool[go.shape.*uint8]).Get" becomes "pools.(*Pool[…]).Get".
func ShortFunc(f string) string {
	var b strings.Builder
	depth := 0
	for _, r := range f {
		switch {
		case r == '[':
			if depth == 0 {
				b.WriteString("[…]")
			}
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	f = b.String()
	if i := strings.LastIndex(f, "/"); i >= 0 && i < len(f)-1 {
		f = f[i+1:]
	}
	return f
}

func shortFile(f string) string {
	parts := strings.Split(f, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}

func verdictCell(v string) string {
	word, _, _ := strings.Cut(v, " ")
	switch word {
	case Pass, "better":
		return "✅ " + v
	case Fail, Error, "worse":
		return "❌ " + v
	case Inconclusive:
		return "❔ " + v
	}
	return v
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// anchor is GitHub's heading anchor of "## <scenario>: <VERDICT>".
func anchor(name, verdict string) string { return strings.ToLower(name + "-" + verdict) }

// orDash is s, or NoData when s is empty.
func orDash(s string) string {
	if s == "" {
		return NoData
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
