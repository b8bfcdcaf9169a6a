package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
)

// compareUsage is the doc of `memprism compare`.
const compareUsage = `
Compares two reports (report.json files or run directories): per scenario,
variant and metric the old and new median, the change new/old with its 95%
interval (Hodges-Lehmann/Moses) and the Mann-Whitney p; "~" marks a change
that is not significant. A regression is a one-sided Mann-Whitney test of
"worse by more than the threshold" that stays significant after
Benjamini-Hochberg over the lower- and higher-is-better rows. Every figure
of a row comes from the successful runs of both reports, never from a
stored summary; a metric one side has no run values for shows both stored
summaries, marked "summaries only, not tested". -o DIR also writes
DIR/compare.png.
Exit status: 0 no regression; 1 a regression, a variant whose new runs failed
where the old ones succeeded, a scenario or variant missing from NEW, or (with
-threshold given) too few runs for any regression to be detectable; 2 bad
usage or unreadable reports.`

// percentFlag is a flag.Value reading "5%" or "0.05".
type percentFlag float64

func (p *percentFlag) String() string { return scenarios.Percent(*p).String() }

func (p *percentFlag) Set(s string) error {
	v, err := scenarios.ParsePercent(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("percent %q is negative", s)
	}
	if v >= 1 && !strings.HasSuffix(strings.TrimSpace(s), "%") {
		return fmt.Errorf("%q would mean %s; write %s%% (or %g as a fraction)", s, scenarios.Percent(v), strings.TrimSpace(s), float64(v)/100)
	}
	*p = percentFlag(v)
	return nil
}

// metricsFlag is a comma-separated list of metric names: the catalogue's,
// or a workload kind's own (Kind.Metrics), which only the reports can
// confirm (knownMetric).
type metricsFlag []string

func (m *metricsFlag) String() string { return strings.Join(*m, ",") }

func (m *metricsFlag) Set(s string) error {
	var errs []error
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if _, ok := results.Metric(name); !ok && !metric.ValidName(name) {
			errs = append(errs, fmt.Errorf("unknown metric %q (known: %s, or a workload's own metric)", name, metricNames()))
			continue
		}
		if !slices.Contains(*m, name) {
			*m = append(*m, name)
		}
	}
	return errors.Join(errs...)
}

func metricNames() string {
	names := make([]string, len(results.Metrics))
	for i, m := range results.Metrics {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// runCompare is `memprism compare`; prog names the binary in its usage.
func runCompare(prog string, stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output `format`: text, md or json")
	outDir := fs.String("o", "", "also write compare.png into `DIR`")
	threshold := percentFlag(results.DefaultCompareOptions.Threshold)
	fs.Var(&threshold, "threshold", "a significant worsening beyond this `percent` (5% or 0.05) is a regression")
	var metrics metricsFlag
	fs.Var(&metrics, "metric", "compare only these `metrics` (comma-separated; default all)")
	commandUsage(fs, stderr, prog, "[-format text|md|json] [-o DIR] [-threshold 5%] [-metric M,...] OLD NEW", compareUsage)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "compare: want two reports, OLD and NEW; got %d arguments\n", fs.NArg())
		fs.Usage()
		return ExitUsage
	}
	render, ok := map[string]func(io.Writer, *results.Comparison) error{
		"text": results.WriteComparisonText, "md": results.WriteComparisonMarkdown, "markdown": results.WriteComparisonMarkdown, "json": results.WriteComparisonJSON,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "compare: unknown -format %q: want text, md or json\n", *format)
		return ExitUsage
	}
	old, errOld := results.ReadReport(fs.Arg(0))
	neu, errNew := results.ReadReport(fs.Arg(1))
	if err := errors.Join(errOld, errNew); err != nil {
		errorLines(stderr, fmt.Errorf("compare: %w", err))
		return ExitUsage
	}
	for _, name := range metrics {
		if err := knownMetric(name, old, neu); err != nil {
			fmt.Fprintf(stderr, "compare: -metric: %v\n", err)
			return ExitUsage
		}
	}
	c := results.CompareReports(old, neu, results.CompareOptions{Threshold: float64(threshold), Metrics: metrics})
	if err := render(stdout, c); err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return ExitUsage
	}
	if *outDir != "" {
		if err := writeChart(stderr, *outDir, "compare.png", func(w io.Writer) error { return plots.Comparison(w, c) }); err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return ExitUsage
		}
	}
	thresholdSet := false
	fs.Visit(func(f *flag.Flag) { thresholdSet = thresholdSet || f.Name == "threshold" })
	if c.Failing() || (c.Undetectable && thresholdSet) {
		return ExitFail
	}
	return ExitOK
}

// reportArg is one report.json an argument stood for.
type reportArg struct {
	path  string
	named bool // the argument was the report file or its run directory itself
}

// expandReports expands report arguments, in order: a report file as given;
// a run directory (holding report.json) as its report; any other directory as
// the report.json files inside it: of its subdirectories (run directories,
// as in results/runs), or at any depth when deep (CI artifacts nest run
// directories), skipping hidden directories such as a run's .work-* scratch.
// A directory with no report is an error.
func expandReports(args []string, deep bool) ([]reportArg, error) {
	var out []reportArg
	var errs []error
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !fi.IsDir() {
			out = append(out, reportArg{arg, true})
			continue
		}
		var inside []string
		if deep {
			inside, err = reportsBelow(arg)
		} else if p := filepath.Join(arg, results.ReportFile); fileExists(p) {
			out = append(out, reportArg{p, true})
			continue
		} else {
			inside, err = reportsIn(arg)
		}
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(inside) == 0 && deep:
			errs = append(errs, fmt.Errorf("%s: no report.json in it or below it", arg))
		case len(inside) == 0:
			errs = append(errs, fmt.Errorf("%s: no report.json in it or in its subdirectories", arg))
		}
		for _, p := range inside {
			out = append(out, reportArg{p, false})
		}
	}
	return out, errors.Join(errs...)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// reportsIn returns the report.json files of dir's subdirectories.
func reportsIn(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if p := filepath.Join(dir, e.Name(), results.ReportFile); e.IsDir() && fileExists(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// reportsBelow returns every report.json under dir at any depth, skipping
// hidden directories.
func reportsBelow(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == results.ReportFile {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// knownMetric accepts a catalogue metric, or a workload kind's own metric
// that a scenario of one of the reports declares (a custom binary's
// write_calls_per_quote); anything else is an error naming what is known.
func knownMetric(name string, reports ...*results.Report) error {
	if _, ok := results.Metric(name); ok {
		return nil
	}
	var own []string
	for _, r := range reports {
		for i := range r.Scenarios {
			for _, m := range r.Scenarios[i].Metrics {
				if m.Name == name {
					return nil
				}
				if !slices.Contains(own, m.Name) {
					own = append(own, m.Name)
				}
			}
		}
	}
	if len(own) == 0 {
		return fmt.Errorf("unknown metric %q: neither in the catalogue (%s) nor a workload's own metric in these reports", name, metricNames())
	}
	return fmt.Errorf("unknown metric %q: neither in the catalogue (%s) nor among the metrics these reports declare (%s)", name, metricNames(), strings.Join(own, ", "))
}
